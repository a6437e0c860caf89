import { forwardRef, type ReactNode, useId } from 'react';
import {
  DeviceCodePromptActions,
  DeviceCodePromptCancelButton,
  DeviceCodePromptCopyButton,
  DeviceCodePromptCountdown,
  DeviceCodePromptQrCode,
  DeviceCodePromptRetryButton,
  DeviceCodePromptRoot,
  type DeviceCodePromptRootProps,
  DeviceCodePromptStartButton,
  DeviceCodePromptStatus,
  DeviceCodePromptUserCode,
  DeviceCodePromptVerificationLink,
  DeviceCodePromptVerificationUri,
  useDeviceCodePrompt,
} from './DeviceCodePromptParts.tsx';

export interface DeviceCodePromptProps extends Omit<DeviceCodePromptRootProps, 'asChild' | 'children'> {
  /** Show a QR code of the verification page (its encoder loads only then). Defaults to `true`. */
  qrCode?: boolean | undefined;
  /** The heading level of the title, so the prompt fits the page outline. Defaults to `2`. */
  headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  /** Rendered at the end of the prompt, e.g. a link to help. */
  children?: ReactNode;
}

/**
 * The drop-in sign-in prompt: the user code (large, grouped, always shown), copy button, verification link and
 * URI, QR code, countdown, status and actions. It is only a composition of the `DeviceCodePrompt.*` parts with
 * `odl-*` class names; import `@oidc-device-login/react/styles.css` for its look, themed by `--odl-*` properties.
 *
 * @example
 * ```tsx
 * <DeviceLoginProvider login={login}>
 *   <DeviceCodePrompt autoStart />
 * </DeviceLoginProvider>
 * ```
 */
const DeviceCodePromptStyled = forwardRef<HTMLDivElement, DeviceCodePromptProps>(function DeviceCodePrompt(
  { qrCode = true, headingLevel = 2, className, children, ...props },
  ref,
) {
  return (
    <DeviceCodePromptRoot
      {...props}
      ref={ref}
      className={className ? `odl-prompt ${className}` : 'odl-prompt'}
    >
      {/* Parts render nothing while they do not apply, so the styled prompt needs no switch over the status. */}
      <Header level={headingLevel} />
      <CodePanel />
      <div className="odl-verification">
        <DeviceCodePromptVerificationLink className="odl-button odl-button-primary odl-link" />
        <VerificationUriLine />
        {qrCode ? <DeviceCodePromptQrCode className="odl-qr" /> : null}
      </div>
      <DeviceCodePromptCountdown className="odl-countdown" />
      <DeviceCodePromptStatus className="odl-status" />
      <DeviceCodePromptActions className="odl-actions">
        <DeviceCodePromptStartButton className="odl-button odl-button-primary" />
        <DeviceCodePromptCancelButton className="odl-button odl-button-secondary" />
        <DeviceCodePromptRetryButton className="odl-button odl-button-primary" />
      </DeviceCodePromptActions>
      {children}
    </DeviceCodePromptRoot>
  );
});

function Header({ level }: { level: 2 | 3 | 4 | 5 | 6 }) {
  const { view, messages } = useDeviceCodePrompt();
  const Heading = `h${level}` as const;
  const showingCode = view.status === 'awaitingUser' && view.userCode !== undefined;
  return (
    <>
      <Heading className="odl-title">{messages.title}</Heading>
      {showingCode ? <p className="odl-instructions">{messages.instructions}</p> : null}
    </>
  );
}

function CodePanel() {
  const { view, messages } = useDeviceCodePrompt();
  const labelId = useId();
  if (view.status !== 'awaitingUser' || view.userCode === undefined) return null;
  return (
    <div className="odl-code-panel">
      <p className="odl-code-label" id={labelId}>
        {messages.userCodeLabel}
      </p>
      <DeviceCodePromptUserCode className="odl-code" aria-labelledby={labelId} />
      <DeviceCodePromptCopyButton className="odl-button odl-button-secondary odl-copy" />
    </div>
  );
}

function VerificationUriLine() {
  const { view, messages, verificationUri } = useDeviceCodePrompt();
  if (view.status !== 'awaitingUser' || verificationUri === undefined) return null;
  return (
    <p className="odl-uri-line">
      {messages.verificationUriLabel} <DeviceCodePromptVerificationUri className="odl-uri" />
    </p>
  );
}

/** The styled prompt, with its headless parts as members (`<DeviceCodePrompt.Root>`, `<DeviceCodePrompt.UserCode>`…). */
export const DeviceCodePrompt = Object.assign(DeviceCodePromptStyled, {
  Root: DeviceCodePromptRoot,
  UserCode: DeviceCodePromptUserCode,
  CopyButton: DeviceCodePromptCopyButton,
  VerificationLink: DeviceCodePromptVerificationLink,
  VerificationUri: DeviceCodePromptVerificationUri,
  QrCode: DeviceCodePromptQrCode,
  Countdown: DeviceCodePromptCountdown,
  Status: DeviceCodePromptStatus,
  Actions: DeviceCodePromptActions,
  StartButton: DeviceCodePromptStartButton,
  CancelButton: DeviceCodePromptCancelButton,
  RetryButton: DeviceCodePromptRetryButton,
});
