import { DeviceCodePrompt } from '@oidc-device-login/react';
import type { ReactNode } from 'react';
import type { DemoConfig } from './demoConfig.ts';

// Module scope: the prompt memoises on the messages object.
const PROMPT_MESSAGES = { title: 'Sign in with a one-time code' };

/** The sign-in screen: what is about to happen, and the kit's `<DeviceCodePrompt>`. */
export function SignInScreen({
  config,
  resumedAfterReload,
}: {
  config: DemoConfig;
  resumedAfterReload: boolean;
}) {
  const { eyebrow, title, lead, steps } = copyFor(config);
  return (
    <div className="signin">
      <div className="signin-intro">
        <p className="eyebrow">{eyebrow}</p>
        <h1 className="page-title" tabIndex={-1} data-screen-heading="">
          {title}
        </h1>
        <p className="lead">{lead}</p>
      </div>
      {/* Before the steps in the document, so on a phone the code comes right after the title. */}
      <div className="signin-prompt">
        {resumedAfterReload ? (
          <p className="callout">
            The page was reloaded while you were signing in, so the sign-in started again: use the code below.
          </p>
        ) : null}
        <DeviceCodePrompt headingLevel={2} messages={PROMPT_MESSAGES} />
      </div>
      <section className="signin-steps" aria-labelledby="signin-steps-title">
        <h2 id="signin-steps-title" className="section-label">
          How it works
        </h2>
        <ol className="steps">
          {steps.map((step, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list.
            <li key={index}>{step}</li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function copyFor(config: DemoConfig): {
  eyebrow: string;
  title: string;
  lead: ReactNode;
  steps: ReactNode[];
} {
  const mode = config.mode;
  switch (mode) {
    case 'emulator':
      return {
        eyebrow: 'AWS IAM Identity Center · embedded emulator',
        title: 'Sign in to your AWS accounts',
        lead: (
          <>
            The device code sign-in of <code>aws sso login</code>, in a browser. This server runs a local IAM
            Identity Center emulator, so no AWS account is needed.
          </>
        ),
        steps: [
          <>
            Select <strong>Sign in</strong> to get a one-time code.
          </>,
          <>
            Open the verification page: the emulator’s, at <code>/emulator/device</code>.
          </>,
          <>
            Check that it shows the same code, choose who to sign in as, and select{' '}
            <strong>Allow access</strong>.
          </>,
          'Come back here: your AWS accounts appear as soon as you allow it.',
        ],
      };
    case 'aws':
      return {
        eyebrow: `AWS IAM Identity Center · ${config.region}`,
        title: 'Sign in to your AWS accounts',
        lead: (
          <>
            The device code sign-in of <code>aws sso login</code>, in a browser, for{' '}
            <span className="nowrap">{config.startUrl}</span>. Calls to AWS go through this server’s
            same-origin proxy.
          </>
        ),
        steps: [
          <>
            Select <strong>Sign in</strong> to get a one-time code.
          </>,
          'Open the verification page and sign in to your AWS access portal.',
          <>
            Check that it shows the same code and allow <strong>oidc-device-login demo</strong> access.
          </>,
          'Come back here: your AWS accounts appear as soon as you allow it.',
        ],
      };
    case 'oidc':
      return {
        eyebrow: `OpenID provider · ${new URL(config.issuer).host}`,
        title: 'Sign in with your OpenID provider',
        lead: 'The same prompt, against a standard OAuth 2.0 / OpenID Connect server that supports the device authorization grant (RFC 8628).',
        steps: [
          <>
            Select <strong>Sign in</strong> to get a one-time code.
          </>,
          'Open the verification page and confirm the code.',
          <>
            Sign in at the provider (the local one of <code>pnpm start:oidc</code> takes{' '}
            <strong>alice</strong> with any password) and continue.
          </>,
          'Come back here: you are signed in as soon as you allow it.',
        ],
      };
    default:
      return mode satisfies never;
  }
}
