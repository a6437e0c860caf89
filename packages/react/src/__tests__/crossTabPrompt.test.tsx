import { act, screen } from '@testing-library/react';
import { expect, it, vi } from 'vitest';
import { DeviceCodePrompt } from '../DeviceCodePrompt.tsx';
import { describeEachReactMode, setUpTabs } from './utils.tsx';

/**
 * Two tabs of one origin (shared storage and locks, one BroadcastChannel each), each with an `autoOpen` prompt of
 * its own login. Tab A runs the device flow; tab B waits for A's flow lock and shows A's code.
 */
const tabs = setUpTabs();
const tab = () => tabs.tab(tabs.awsProvider('cross-tab prompt tests'));

/** Lets messages between tabs, promise chains and re-renders settle. */
async function settle() {
  for (let i = 0; i < 10; i++) {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
      await new Promise((resolve) => setImmediate(resolve));
    });
  }
}

const pageOf = (userCode: string) =>
  `${tabs.emulator.config.baseUrl}/device?user_code=${encodeURIComponent(userCode)}`;

describeEachReactMode('DeviceCodePrompt in two tabs', ({ render }) => {
  it('autoOpen opens the page in the tab that runs the flow, once, and not in the tab that mirrors it', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const a = tab();
    const b = tab();
    render(
      <>
        <DeviceCodePrompt login={a} qrCode={false} autoOpen aria-label="tab A" />
        <DeviceCodePrompt login={b} qrCode={false} autoOpen aria-label="tab B" />
      </>,
    );
    act(() => a.start());
    await settle();
    act(() => b.start());
    await settle();
    const [first] = tabs.emulator.pendingAuthorizations();
    const shared = first!.userCode;
    expect(tabs.emulator.pendingAuthorizations()).toHaveLength(1);
    expect(open).toHaveBeenCalledExactlyOnceWith(pageOf(shared), '_blank', 'noopener,noreferrer');
    for (const [name, source] of [
      ['tab A', 'thisTab'],
      ['tab B', 'otherTab'],
    ] as const) {
      const prompt = screen.getByLabelText(name);
      expect(prompt).toHaveAttribute('data-state', 'awaitingUser');
      expect(prompt).toHaveAttribute('data-code-source', source);
      expect(prompt.querySelector('[role="group"]')).toHaveAttribute('data-code-source', source);
    }

    // A gives up: B runs a flow of its own, whose code is B's to open.
    act(() => a.cancel());
    await settle();
    expect(screen.getByLabelText('tab A')).not.toHaveAttribute('data-code-source');
    expect(screen.getByLabelText('tab B')).toHaveAttribute('data-code-source', 'thisTab');
    const own = tabs.emulator.pendingAuthorizations().at(-1)!.userCode;
    expect(own).not.toBe(shared);
    expect(open).toHaveBeenCalledTimes(2);
    expect(open).toHaveBeenLastCalledWith(pageOf(own), '_blank', 'noopener,noreferrer');
    open.mockRestore();
  });
});
