import type { TestDeviceLogin } from '@oidc-device-login/core/testing';
import { DeviceCodePrompt, useDeviceCodePrompt } from '@oidc-device-login/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { type ComponentPropsWithRef, type CSSProperties, useState } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import {
  createStoryLogin,
  fixedClock,
  LONG_VERIFICATION_URI_COMPLETE,
  loadedLogin,
  type StoryState,
  USER_CODE,
  VERIFICATION_URI_COMPLETE,
} from './storyLogins.ts';

/** A story's loader: a fresh fake login in `state` for each render, read back with `loadedLogin`. */
const loginIn = (state: StoryState) => async () => ({ login: createStoryLogin(state) });

const meta = {
  title: 'React/DeviceCodePrompt/Headless',
  component: DeviceCodePrompt.Root,
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'The parts `<DeviceCodePrompt>` is made of, unstyled: lay them out yourself, render them as your own ' +
          'elements with `asChild`, and read the prompt state in parts of your own with `useDeviceCodePrompt()`. ' +
          'Each part carries `data-state` (the login status) and renders nothing while it does not apply.',
      },
    },
  },
  argTypes: { login: { table: { disable: true } } },
  beforeEach: fixedClock,
  loaders: [loginIn('awaitingUser')],
} satisfies Meta<typeof DeviceCodePrompt.Root>;

export default meta;
type Story = StoryObj<typeof meta>;

/* -------------------------------------------------------------------------------------------------------------
 * A layout of one's own
 * -----------------------------------------------------------------------------------------------------------*/

const card: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(0, 1fr) auto',
  gap: '0.75rem 1.5rem',
  maxWidth: '36rem',
  padding: '1.25rem',
  border: '2px solid #1c2024',
  borderRadius: 0,
  background: '#fffdf5',
  color: '#1c2024',
  fontFamily: 'Georgia, serif',
};

const code: CSSProperties = {
  fontFamily: 'ui-monospace, monospace',
  fontSize: '2rem',
  fontWeight: 700,
  letterSpacing: '0.1em',
};

const pill: CSSProperties = {
  justifySelf: 'start',
  padding: '0.125rem 0.5rem',
  borderRadius: '999px',
  background: '#1c2024',
  color: '#fffdf5',
  fontSize: '0.75rem',
  textTransform: 'uppercase',
  letterSpacing: '0.05em',
};

/** A part of one's own: reads the prompt state (`view`, `aboutToExpire`…) from the surrounding Root. */
function StatusPill() {
  const { view, aboutToExpire } = useDeviceCodePrompt();
  return (
    <span style={pill} data-testid="status-pill">
      {aboutToExpire ? 'hurry' : view.status}
    </span>
  );
}

/** The same parts in a layout and look of one's own: code on the left, QR code on the right. */
export const CustomLayout: Story = {
  render: (args, { loaded }) => (
    <DeviceCodePrompt.Root {...args} login={loadedLogin(loaded)} style={card}>
      <StatusPill />
      <DeviceCodePrompt.QrCode style={{ gridRow: 'span 4', width: '8rem', height: '8rem' }} />
      <DeviceCodePrompt.UserCode style={code} />
      <DeviceCodePrompt.Countdown />
      <div style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
        <DeviceCodePrompt.CopyButton />
        <DeviceCodePrompt.VerificationLink />
        <DeviceCodePrompt.Actions />
      </div>
      <DeviceCodePrompt.Status style={{ gridColumn: '1 / -1', fontStyle: 'italic' }} />
    </DeviceCodePrompt.Root>
  ),
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByTestId('status-pill')).toHaveTextContent('awaitingUser');
    await expect(canvas.getByRole('group', { name: 'Your code' })).toHaveTextContent(USER_CODE);
    await expect(canvas.getByRole('timer')).toHaveTextContent('Code expires in 9:41');
    // No class names from the styled prompt: the layout is entirely the story's.
    await expect(canvasElement.querySelector('[class^="odl-"]')).toBeNull();
    // Every part says the status, for styling with [data-state].
    for (const part of canvasElement.querySelectorAll('[data-state]')) {
      await expect(part).toHaveAttribute('data-state', 'awaitingUser');
    }
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible();
  },
};

/* -------------------------------------------------------------------------------------------------------------
 * asChild
 * -----------------------------------------------------------------------------------------------------------*/

const fancyButton: CSSProperties = {
  padding: '0.5rem 1rem',
  border: '2px solid #5b21b6',
  borderRadius: '999px',
  background: '#ede9fe',
  color: '#4c1d95',
  font: 'inherit',
  fontWeight: 600,
  cursor: 'pointer',
  textDecoration: 'none',
};

/** A design-system button: the parts render as it with `asChild`, merging their props, handlers and refs. */
function FancyButton({
  variant,
  style,
  ...props
}: ComponentPropsWithRef<'button'> & { variant: 'solid' | 'ghost' }) {
  return (
    <button
      type="button"
      data-variant={variant}
      style={{ ...fancyButton, ...(variant === 'ghost' ? { background: 'transparent' } : {}), ...style }}
      {...props}
    />
  );
}

function FancyLink({ style, ...props }: ComponentPropsWithRef<'a'>) {
  return <a data-variant="link" style={{ ...fancyButton, ...style }} {...props} />;
}

/** The asChild demo: parts as design-system components, with handlers of its own that run alongside the parts'. */
function AsChildDemo({ login }: { login: TestDeviceLogin }) {
  const [clicks, setClicks] = useState(0);
  const [copied, setCopied] = useState<boolean | undefined>(undefined);
  return (
    <DeviceCodePrompt.Root login={login} asChild>
      <section aria-label="Sign-in" style={{ display: 'grid', gap: '0.75rem' }}>
        <DeviceCodePrompt.UserCode asChild>
          <strong style={{ fontSize: '1.75rem', fontFamily: 'ui-monospace, monospace' }} />
        </DeviceCodePrompt.UserCode>
        <div style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
          <DeviceCodePrompt.CopyButton asChild onCopied={setCopied}>
            <FancyButton variant="ghost" onClick={() => setClicks((count) => count + 1)} />
          </DeviceCodePrompt.CopyButton>
          <DeviceCodePrompt.VerificationLink asChild>
            <FancyLink href="https://attacker.example/phish" target="_self" rel="opener" />
          </DeviceCodePrompt.VerificationLink>
          <DeviceCodePrompt.CancelButton asChild>
            <FancyButton variant="solid">Stop signing in</FancyButton>
          </DeviceCodePrompt.CancelButton>
        </div>
        <DeviceCodePrompt.Status asChild>
          <p />
        </DeviceCodePrompt.Status>
        <p data-testid="copy-log">
          Copy clicked {clicks} {clicks === 1 ? 'time' : 'times'}; onCopied:{' '}
          {copied === undefined ? 'not yet' : String(copied)}
        </p>
      </section>
    </DeviceCodePrompt.Root>
  );
}

/**
 * Parts (the Root too) rendered as one's own components, with their props, handlers and refs merged. The link keeps the
 * verification URL, `target="_blank"` and `rel="noopener noreferrer"` even when the child sets others.
 */
export const AsChild: Story = {
  name: 'asChild',
  render: (_args, { loaded }) => <AsChildDemo login={loadedLogin(loaded)} />,
  play: async ({ canvas, loaded }) => {
    const login = loadedLogin(loaded);
    // The Root as the child's <section>, with the prompt's data-state and focus target.
    const root = canvas.getByRole('region', { name: 'Sign-in' });
    await expect(root).toHaveAttribute('data-state', 'awaitingUser');
    await expect(root).toHaveAttribute('tabindex', '-1');
    const code = canvas.getByRole('group', { name: 'Your code' });
    await expect(code.tagName).toBe('STRONG');
    await expect(code).toHaveTextContent(USER_CODE);

    const copy = canvas.getByRole('button', { name: 'Copy code' });
    await expect(copy).toHaveAttribute('data-variant', 'ghost');
    await userEvent.click(copy);
    await expect(await canvas.findByRole('button', { name: 'Copied' })).toHaveAttribute(
      'data-copy',
      'copied',
    );
    // The child's own onClick ran, and so did the part's copy (onCopied).
    await expect(canvas.getByTestId('copy-log')).toHaveTextContent('Copy clicked 1 time; onCopied: true');

    const link = canvas.getByRole('link', { name: /Open the verification page/ });
    await expect(link).toHaveAttribute('data-variant', 'link');
    await expect(link).toHaveAttribute('href', VERIFICATION_URI_COMPLETE);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');

    await expect(canvas.getByRole('status').tagName).toBe('P');
    const cancel = canvas.getByRole('button', { name: 'Stop signing in' });
    await expect(cancel).toHaveAttribute('data-variant', 'solid');
    await expect(cancel).toHaveAttribute('data-state', 'awaitingUser');
    await expect(login.calls.cancel).toHaveLength(0);
  },
};

/** The parts with their default markup and no styles at all: what a headless prompt starts from. */
export const Unstyled: Story = {
  render: (_args, { loaded }) => (
    <DeviceCodePrompt.Root login={loadedLogin(loaded)}>
      <DeviceCodePrompt.UserCode />
      <DeviceCodePrompt.CopyButton />
      <DeviceCodePrompt.VerificationLink />
      <DeviceCodePrompt.VerificationUri />
      <DeviceCodePrompt.Countdown />
      <DeviceCodePrompt.Status />
      <DeviceCodePrompt.Actions />
    </DeviceCodePrompt.Root>
  ),
  play: async ({ canvas, canvasElement }) => {
    const root = canvasElement.querySelector('[data-state]');
    await expect(root?.tagName).toBe('DIV');
    await expect(root).toHaveAttribute('tabindex', '-1');
    await expect(canvas.getByRole('group', { name: 'Your code' }).tagName).toBe('SPAN');
    await expect(canvas.getByRole('button', { name: 'Copy code' })).toHaveAttribute('data-copy', 'idle');
    await expect(canvas.getByRole('timer')).toHaveTextContent('Code expires in 9:41');
    await expect(canvas.getByRole('status')).toHaveAttribute('aria-live', 'polite');
    // Nothing styled: no class names, no inline styles but the visually hidden helpers.
    await expect(canvasElement.querySelector('[class]')).toBeNull();
  },
};

/**
 * A verification URL longer than a QR code holds (about 2,300 bytes): once the encoder has run, the QR code part
 * stays empty and the link still opens the page.
 */
export const TooLongForQrCode: Story = {
  name: 'Verification URL too long for a QR code',
  loaders: [loginIn('longUrl')],
  render: (_args, { loaded }) => (
    <DeviceCodePrompt.Root login={loadedLogin(loaded)}>
      <DeviceCodePrompt.UserCode />
      <DeviceCodePrompt.VerificationLink />
      <DeviceCodePrompt.QrCode data-testid="qr" fallback={<span>Loading the QR code…</span>} />
      <DeviceCodePrompt.Status />
    </DeviceCodePrompt.Root>
  ),
  play: async ({ canvas }) => {
    const qr = canvas.getByTestId('qr');
    // The fallback goes once the encoder chunk has loaded and rendered (nothing, for this URL).
    await waitFor(() => expect(canvas.queryByText('Loading the QR code…')).toBeNull());
    await expect(qr).toBeEmptyDOMElement();
    await expect(canvas.queryByRole('img')).toBeNull();
    await expect(canvas.getByRole('link', { name: /Open the verification page/ })).toHaveAttribute(
      'href',
      LONG_VERIFICATION_URI_COMPLETE,
    );
    await expect(canvas.getByRole('group', { name: 'Your code' })).toHaveTextContent(USER_CODE);
  },
};
