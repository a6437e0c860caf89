import {
  awsSsoOidc,
  createDeviceLogin,
  type DeviceLoginClient,
  memoryStorage,
} from '@oidc-device-login/core';
import { createEmulator, type Emulator } from '@oidc-device-login/emulator/in-process';
import { DeviceCodePrompt, DeviceLoginProvider } from '@oidc-device-login/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import type { CSSProperties } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';

/**
 * The real thing, with no network: `createDeviceLogin` + `awsSsoOidc` over the in-process `fetch` of the IAM
 * Identity Center emulator (`@oidc-device-login/emulator/in-process`), which answers with AWS's wire format.
 * Real time: the login polls every second, as AWS asks.
 */
interface Live {
  emulator: Emulator;
  login: DeviceLoginClient;
}

function createLive(): Live {
  const emulator = createEmulator();
  const login = createDeviceLogin({
    provider: awsSsoOidc({
      region: 'us-east-1',
      startUrl: 'https://d-1234567890.awsapps.com/start',
      clientName: 'Storybook',
      endpoint: emulator.config.baseUrl,
      portalEndpoint: emulator.config.baseUrl,
      fetch: emulator.fetch,
    }),
    storage: memoryStorage(),
    // Stories on one docs page must not coordinate with each other as browser tabs would.
    crossTab: false,
  });
  return { emulator, login };
}

/** Reads what the loader made (`context.loaded`), checking that it is there. */
function loadedLive(loaded: Record<string, unknown>): Live {
  const live = loaded.live;
  if (typeof live !== 'object' || live === null || !('emulator' in live) || !('login' in live)) {
    throw new Error('This story needs the loader that returns { live: createLive() }.');
  }
  return live as Live;
}

const controls: CSSProperties = {
  display: 'flex',
  flexWrap: 'wrap',
  alignItems: 'center',
  gap: '0.5rem',
  marginTop: '1rem',
  padding: '0.75rem',
  border: '1px dashed #8b8d98',
  borderRadius: '0.5rem',
  maxWidth: '28rem',
  fontFamily: 'system-ui, sans-serif',
  fontSize: '0.875rem',
};

/**
 * Plays the person on the verification page, for people browsing the story: the link in the prompt points at
 * the in-process emulator, which has no address a browser tab could open.
 */
function EmulatorControls({ emulator }: { emulator: Emulator }) {
  const withPending = (act: (userCode: string) => void) => () => {
    const pending = emulator.pendingAuthorizations()[0];
    if (pending) act(pending.userCode);
  };
  return (
    <fieldset style={controls}>
      <legend>Emulator (the person on the verification page)</legend>
      <button type="button" onClick={withPending((userCode) => emulator.approve({ userCode }))}>
        Approve
      </button>
      <button type="button" onClick={withPending((userCode) => emulator.deny({ userCode }))}>
        Deny
      </button>
      <button type="button" onClick={withPending((userCode) => emulator.expire({ userCode }))}>
        Expire the code
      </button>
    </fieldset>
  );
}

const meta = {
  title: 'React/DeviceCodePrompt/Live (emulator)',
  component: DeviceCodePrompt,
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'A real `createDeviceLogin` + `awsSsoOidc` signing in against the IAM Identity Center emulator, in ' +
          "process: `awsSsoOidc({ endpoint: 'http://emulator.local', fetch: emulator.fetch, … })`. Nothing leaves " +
          'the page. Use the emulator buttons to approve, deny or expire the code.',
      },
    },
  },
  args: { qrCode: true },
  argTypes: {
    login: { table: { disable: true } },
    qrCode: { control: 'boolean' },
    autoStart: { control: 'boolean' },
  },
  loaders: [async () => ({ live: createLive() })],
  beforeEach: ({ loaded }) => {
    const { login } = loadedLive(loaded);
    return () => login.dispose();
  },
  render: (args, { loaded }) => {
    const { emulator, login } = loadedLive(loaded);
    return (
      <DeviceLoginProvider login={login}>
        <DeviceCodePrompt {...args} />
        <EmulatorControls emulator={emulator} />
      </DeviceLoginProvider>
    );
  },
} satisfies Meta<typeof DeviceCodePrompt>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * How long to wait for the real login: one poll takes up to a second (the emulator's interval, as AWS's), and the
 * story tests share two cores with the other test projects in CI.
 */
const patience = { timeout: 5000 };

/** Waits until the emulator holds a code, and checks that the prompt shows that very code. */
async function shownCode(emulator: Emulator, canvasElement: HTMLElement): Promise<string> {
  const canvas = within(canvasElement);
  let userCode = '';
  await waitFor(() => {
    userCode = emulator.pendingAuthorizations()[0]?.userCode ?? '';
    expect(userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(canvas.getByRole('group', { name: 'Your code' })).toHaveTextContent(userCode);
  }, patience);
  return userCode;
}

const operations = (emulator: Emulator, operation: string) =>
  emulator.requests().filter((request) => request.operation === operation).length;

/**
 * Yours to drive: the prompt asks the emulator for a code on mount; approve, deny or expire it with the emulator's
 * buttons and watch the prompt follow.
 */
export const TryIt: Story = {
  name: 'Try it',
  args: { autoStart: true },
  play: async ({ canvasElement, loaded }) => {
    const { emulator } = loadedLive(loaded);
    await shownCode(emulator, canvasElement);
  },
};

/** Sign in → a code from the emulator → approved there → signed in. One registration and one code, in StrictMode. */
export const Approved: Story = {
  play: async ({ canvas, canvasElement, loaded }) => {
    const { emulator } = loadedLive(loaded);
    // The button shows once the stored session was looked for (memory storage: a moment after mount).
    await userEvent.click(await canvas.findByRole('button', { name: 'Sign in' }, patience));
    const userCode = await shownCode(emulator, canvasElement);
    await expect(canvas.getByRole('link', { name: /Open the verification page/ })).toHaveAttribute(
      'href',
      `${emulator.config.baseUrl}/device?user_code=${userCode}`,
    );
    emulator.approve({ userCode });
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('You are signed in.'), patience);
    await expect(operations(emulator, 'RegisterClient')).toBe(1);
    await expect(operations(emulator, 'StartDeviceAuthorization')).toBe(1);
  },
};

/** Denied on the verification page; "Try again" gets a new code from the emulator. */
export const Denied: Story = {
  args: { autoStart: true },
  play: async ({ canvas, canvasElement, loaded }) => {
    const { emulator } = loadedLive(loaded);
    const first = await shownCode(emulator, canvasElement);
    emulator.deny({ userCode: first });
    const retry = await canvas.findByRole('button', { name: 'Try again' }, patience);
    await expect(canvas.getByRole('status')).toHaveTextContent('The sign-in was denied.');
    await userEvent.click(retry);
    const second = await shownCode(emulator, canvasElement);
    await expect(second).not.toBe(first);
  },
};

/** The code expires before approval; "Get a new code" starts over. */
export const Expired: Story = {
  args: { autoStart: true, qrCode: false },
  play: async ({ canvas, canvasElement, loaded }) => {
    const { emulator } = loadedLive(loaded);
    const first = await shownCode(emulator, canvasElement);
    emulator.expire({ userCode: first });
    await userEvent.click(await canvas.findByRole('button', { name: 'Get a new code' }, patience));
    await expect(await shownCode(emulator, canvasElement)).not.toBe(first);
  },
};

/** The service answers with something that is not AWS's shape: an error that says so, and "Try again" recovers. */
export const MalformedResponse: Story = {
  name: 'Malformed response',
  args: { qrCode: false },
  play: async ({ canvas, canvasElement, loaded }) => {
    const { emulator } = loadedLive(loaded);
    emulator.fault({ operation: 'StartDeviceAuthorization', malformed: 'wrong-shape' });
    // The button shows once the stored session was looked for (memory storage: a moment after mount).
    await userEvent.click(await canvas.findByRole('button', { name: 'Sign in' }, patience));
    await expect(await canvas.findByRole('button', { name: 'Try again' }, patience)).toBeVisible();
    await expect(canvas.getByRole('status')).toHaveTextContent(
      'Sign-in failed: StartDeviceAuthorization response:',
    );
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await shownCode(emulator, canvasElement);
  },
};
