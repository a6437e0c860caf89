import { InvalidArgumentError } from '@oidc-device-login/core';
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
  whileWaiting,
} from './DeviceCodePromptParts.tsx';

/** The levels of HTML headings, for `headingLevel`. */
export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

export interface DeviceCodePromptProps extends Omit<DeviceCodePromptRootProps, 'asChild' | 'children'> {
  /** Show a QR code of the verification page (its encoder loads only then). Defaults to `true`. */
  qrCode?: boolean | undefined;
  /**
   * The heading level of the title (`h1`…`h6`), so the prompt fits the page outline; `1` on a page that is only the
   * sign-in. Anything else throws an `InvalidArgumentError` (code `invalid_argument`) while rendering: a clamped
   * level would silently break the outline. Defaults to `2`.
   */
  headingLevel?: HeadingLevel | undefined;
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
  if (!(Number.isInteger(headingLevel) && headingLevel >= 1 && headingLevel <= 6)) {
    throw new InvalidArgumentError(
      'headingLevel',
      `must be 1, 2, 3, 4, 5 or 6; got ${String(headingLevel)}.`,
    );
  }
  return (
    <DeviceCodePromptRoot
      {...props}
      ref={ref}
      className={className ? `odl-prompt ${className}` : 'odl-prompt'}
    >
      <Body level={headingLevel} qrCode={qrCode} />
      {children}
    </DeviceCodePromptRoot>
  );
});

/** Everything inside the styled prompt's root. Parts render nothing while they do not apply. */
function Body({ level, qrCode }: { level: HeadingLevel; qrCode: boolean }) {
  const { view, messages, verificationUri } = useDeviceCodePrompt();
  const labelId = useId();
  const Heading = `h${level}` as const;
  const showingCode = whileWaiting(view, view.userCode) !== undefined;
  return (
    <>
      <Heading className="odl-title">{messages.title}</Heading>
      {showingCode ? (
        <>
          <p className="odl-instructions">{messages.instructions}</p>
          <div className="odl-code-panel">
            <p className="odl-code-label" id={labelId}>
              {messages.userCodeLabel}
            </p>
            <DeviceCodePromptUserCode className="odl-code" aria-labelledby={labelId} />
            <DeviceCodePromptCopyButton className="odl-button odl-button-secondary odl-copy" />
          </div>
        </>
      ) : null}
      <div className="odl-verification">
        <DeviceCodePromptVerificationLink className="odl-button odl-button-primary odl-link" />
        {whileWaiting(view, verificationUri) === undefined ? null : (
          <p className="odl-uri-line">
            {messages.verificationUriLabel} <DeviceCodePromptVerificationUri className="odl-uri" />
          </p>
        )}
        {qrCode ? <DeviceCodePromptQrCode className="odl-qr" /> : null}
      </div>
      <DeviceCodePromptCountdown className="odl-countdown" />
      <DeviceCodePromptStatus className="odl-status" />
      <DeviceCodePromptActions className="odl-actions">
        <DeviceCodePromptStartButton className="odl-button odl-button-primary" />
        <DeviceCodePromptCancelButton className="odl-button odl-button-secondary" />
        <DeviceCodePromptRetryButton className="odl-button odl-button-primary" />
      </DeviceCodePromptActions>
    </>
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
