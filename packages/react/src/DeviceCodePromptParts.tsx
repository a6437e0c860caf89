import type { DeviceLogin, DeviceLoginStatus, DeviceLoginView } from '@oidc-device-login/core';
import { Slot } from '@radix-ui/react-slot';
import {
  type ComponentPropsWithoutRef,
  type CSSProperties,
  cloneElement,
  createContext,
  type FocusEvent,
  Fragment,
  forwardRef,
  isValidElement,
  type JSX,
  lazy,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
  Suspense,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { composeRefs } from './composeRefs.ts';
import { copyText } from './copyText.ts';
import {
  type DeviceCodePromptMessages,
  defaultDeviceCodePromptMessages,
} from './deviceCodePromptMessages.ts';
import { groupUserCode } from './groupUserCode.ts';
import { describeUnsafeUrl, safeHttpUrl } from './safeHttpUrl.ts';
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect.ts';
import { useLogin } from './useLogin.ts';
import { useLoginActions } from './useLoginActions.ts';
import type { DeviceLoginActions } from './useOidcDeviceLogin.ts';
import { useSecondsLeft } from './useSecondsLeft.ts';
import { useViewSelector } from './useViewSelector.ts';

/* -------------------------------------------------------------------------------------------------------------
 * Context
 * -----------------------------------------------------------------------------------------------------------*/

/** What every part of a prompt reads: the login's view and actions, the strings, and derived display state. */
export interface DeviceCodePromptContextValue {
  view: DeviceLoginView;
  actions: DeviceLoginActions;
  messages: DeviceCodePromptMessages;
  locale: string | undefined;
  /** The code is shown and less than `aboutToExpireSeconds` remain. */
  aboutToExpire: boolean;
  aboutToExpireSeconds: number;
  /** The page to open: `verificationUriComplete`, else `verificationUri`; only when http(s). */
  verificationUrl: string | undefined;
  /** `verificationUri` when it is http(s), for typing on another device. */
  verificationUri: string | undefined;
  /** A short announcement (such as "Copied") that the status region adds to its text for a moment. */
  notice: string | undefined;
  announce: (notice: string) => void;
}

const DeviceCodePromptContext = createContext<DeviceCodePromptContextValue | undefined>(undefined);

/** The state of the surrounding `DeviceCodePrompt.Root`, for parts of your own. */
export function useDeviceCodePrompt(): DeviceCodePromptContextValue {
  const context = useContext(DeviceCodePromptContext);
  if (!context) {
    throw new Error(
      'DeviceCodePrompt parts must be rendered inside <DeviceCodePrompt.Root> (or the styled <DeviceCodePrompt>).',
    );
  }
  return context;
}

/** How long the status region keeps a notice such as "Copied", and the copy button its confirmation. */
const NOTICE_MS = 3000;

/* -------------------------------------------------------------------------------------------------------------
 * Root
 * -----------------------------------------------------------------------------------------------------------*/

type PrimitiveProps<E extends keyof JSX.IntrinsicElements> = ComponentPropsWithoutRef<E> & {
  /** Render the child element instead of the default one, merging props and refs into it. Defaults to `false`. */
  asChild?: boolean | undefined;
};

export interface DeviceCodePromptRootProps extends PrimitiveProps<'div'> {
  /** The login to show. Defaults to the login of the nearest `<DeviceLoginProvider>`. */
  login?: DeviceLogin | undefined;
  /** Strings to replace; the rest stay English. Defaults to `{}`. */
  messages?: Partial<DeviceCodePromptMessages> | undefined;
  /** BCP 47 locale for numbers and durations (countdown). Defaults to the browser's locale. */
  locale?: string | undefined;
  /** Call `start()` once on mount when not signed in (after a stored session was looked for). Defaults to `false`. */
  autoStart?: boolean | undefined;
  /**
   * Open the verification page in a new tab once, when a code arrives. Browsers may block a tab that no click
   * opened; the link stays there. Defaults to `false`.
   */
  autoOpen?: boolean | undefined;
  /** Seconds before expiry from which the status says the code is about to expire. Defaults to `60`. */
  aboutToExpireSeconds?: number | undefined;
  /**
   * Called with a verification URL that is not http(s), which is refused and never rendered as a link. Defaults to
   * logging the refusal (scheme only) with `console.error`.
   */
  onUnsafeUrl?: ((url: string) => void) | undefined;
}

/**
 * Holds a prompt's state for its parts and renders a `div` (or its child, with `asChild`) carrying
 * `data-state` = the login's status.
 */
export const DeviceCodePromptRoot = forwardRef<HTMLDivElement, DeviceCodePromptRootProps>(
  function DeviceCodePromptRoot(
    {
      login,
      messages: messageOverrides,
      locale,
      autoStart = false,
      autoOpen = false,
      aboutToExpireSeconds = 60,
      onUnsafeUrl,
      asChild,
      onFocus,
      ...props
    },
    forwardedRef,
  ) {
    const resolvedLogin = useLogin(login, 'DeviceCodePrompt');
    const view = useViewSelector(resolvedLogin, selectView, Object.is);
    const actions = useLoginActions(resolvedLogin);
    const { start } = actions;
    const messages = useMemo(
      () => ({ ...defaultDeviceCodePromptMessages, ...messageOverrides }),
      [messageOverrides],
    );

    const showingCode = view.status === 'awaitingUser' && view.userCode !== undefined;
    // Checked on the countdown's whole-second ticks; renders once, when it turns true.
    const aboutToExpire = useSecondsLeft(
      showingCode ? view.expiresAt : undefined,
      (seconds = Number.POSITIVE_INFINITY) => seconds <= aboutToExpireSeconds,
    );
    const verificationUri = safeHttpUrl(view.verificationUri);
    const verificationUrl = safeHttpUrl(view.verificationUriComplete) ?? verificationUri;

    const [notice, setNotice] = useState<string | undefined>(undefined);
    const noticeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
    const announce = useCallback((text: string) => {
      setNotice(text);
      clearTimeout(noticeTimer.current);
      noticeTimer.current = setTimeout(() => setNotice(undefined), NOTICE_MS);
    }, []);
    useEffect(() => () => clearTimeout(noticeTimer.current), []);

    // Refuse (and report) verification URLs that are not http(s), once per URL.
    const reported = useRef(new Set<string>());
    useEffect(() => {
      for (const url of [view.verificationUriComplete, view.verificationUri]) {
        if (url === undefined || safeHttpUrl(url) !== undefined || reported.current.has(url)) continue;
        reported.current.add(url);
        if (onUnsafeUrl) onUnsafeUrl(url);
        else {
          console.error(
            `DeviceCodePrompt refused ${describeUnsafeUrl(url)} as the verification page: only http(s) URLs ` +
              'become links. Pass onUnsafeUrl to handle this yourself.',
          );
        }
      }
    }, [view.verificationUriComplete, view.verificationUri, onUnsafeUrl]);

    // autoStart: decide once, after any stored session was looked for, so a restored session is kept and a
    // later cancel or logout does not start again. The ref survives StrictMode's effect replay.
    const autoStartDecided = useRef(false);
    useEffect(() => {
      if (!autoStart || autoStartDecided.current || view.isRestoring) return;
      autoStartDecided.current = true;
      if (view.status === 'idle') start();
    }, [autoStart, view.isRestoring, view.status, start]);

    // autoOpen: once per code.
    const openedFor = useRef<string | undefined>(undefined);
    useEffect(() => {
      if (!autoOpen || !showingCode || verificationUrl === undefined || openedFor.current === view.userCode)
        return;
      openedFor.current = view.userCode;
      window.open(verificationUrl, '_blank', 'noopener,noreferrer');
    }, [autoOpen, showingCode, verificationUrl, view.userCode]);

    // Focus: when the focused control disappears (Sign in → Cancel → Try again…), move focus to the first action
    // now shown, else to the prompt itself, instead of letting it fall to <body>. Nothing moves focus otherwise.
    const rootRef = useRef<HTMLElement | null>(null);
    const lastFocused = useRef<HTMLElement | null>(null);
    useIsomorphicLayoutEffect(() => {
      const last = lastFocused.current;
      const root = rootRef.current;
      if (!last || last.isConnected || !root) return;
      const active = root.ownerDocument.activeElement;
      if (active && active !== root.ownerDocument.body) return;
      const target = root.querySelector<HTMLElement>('[data-odl-action]') ?? root;
      target.focus();
      lastFocused.current = target;
    });

    const context = useMemo<DeviceCodePromptContextValue>(
      () => ({
        view,
        actions,
        messages,
        locale,
        aboutToExpire,
        aboutToExpireSeconds,
        verificationUrl,
        verificationUri,
        notice,
        announce,
      }),
      [
        view,
        actions,
        messages,
        locale,
        aboutToExpire,
        aboutToExpireSeconds,
        verificationUrl,
        verificationUri,
        notice,
        announce,
      ],
    );

    const ref = useMemo(() => composeRefs(forwardedRef, rootRef), [forwardedRef]);
    const Comp = asChild ? Slot : 'div';
    return (
      <DeviceCodePromptContext.Provider value={context}>
        <Comp
          tabIndex={-1}
          data-state={view.status}
          {...props}
          ref={ref}
          onFocus={(event: FocusEvent<HTMLDivElement>) => {
            onFocus?.(event);
            if (event.target instanceof HTMLElement) lastFocused.current = event.target;
          }}
        />
      </DeviceCodePromptContext.Provider>
    );
  },
);

const selectView = (view: DeviceLoginView) => view;

/* -------------------------------------------------------------------------------------------------------------
 * UserCode
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptUserCodeProps extends PrimitiveProps<'span'> {}

/**
 * The user code, in groups (`ABCD-EFGH` as `ABCD` and `EFGH`), labelled "Your code" and spelled out for screen
 * readers one character at a time. Rendered whenever a code is shown, whatever the verification URL looks like:
 * some verification pages do not show the code, and the person must be able to compare it.
 */
export const DeviceCodePromptUserCode = forwardRef<HTMLSpanElement, DeviceCodePromptUserCodeProps>(
  function DeviceCodePromptUserCode({ asChild, children, ...props }, ref) {
    const { view, messages } = useDeviceCodePrompt();
    if (view.status !== 'awaitingUser' || view.userCode === undefined) return null;
    const groups = groupUserCode(view.userCode);
    const Comp = asChild ? Slot : 'span';
    const content = (
      <>
        {/* Visual form: screen readers get the spelled-out form below instead of "ABCD dash EFGH" as words. */}
        <span aria-hidden="true" data-odl-part="code">
          {groups.map((group, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: groups are positional and may repeat.
            <Fragment key={index}>
              {index > 0 ? <span data-odl-part="code-separator">-</span> : null}
              <span data-odl-part="code-group">{group}</span>
            </Fragment>
          ))}
        </span>
        <span style={visuallyHidden}>{messages.spellUserCode(groups)}</span>
      </>
    );
    return (
      <Comp role="group" aria-label={messages.userCodeLabel} data-state={view.status} {...props} ref={ref}>
        {asChild ? withContent(children, content) : (children ?? content)}
      </Comp>
    );
  },
);

/* -------------------------------------------------------------------------------------------------------------
 * CopyButton
 * -----------------------------------------------------------------------------------------------------------*/

export type CopyState = 'idle' | 'copied' | 'failed';

export interface DeviceCodePromptCopyButtonProps extends PrimitiveProps<'button'> {
  /** Called after each copy attempt with whether it worked. */
  onCopied?: ((copied: boolean) => void) | undefined;
}

/**
 * Copies the user code: the Clipboard API, else a selection and `execCommand('copy')`. Shows "Copied" for a moment
 * (`data-copy="copied"`) and announces it through the status region.
 */
export const DeviceCodePromptCopyButton = forwardRef<HTMLButtonElement, DeviceCodePromptCopyButtonProps>(
  function DeviceCodePromptCopyButton({ asChild, children, onClick, onCopied, ...props }, ref) {
    const { view, messages, announce } = useDeviceCodePrompt();
    const [copyState, setCopyState] = useState<CopyState>('idle');
    const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
    useEffect(() => () => clearTimeout(timer.current), []);
    if (view.status !== 'awaitingUser' || view.userCode === undefined) return null;
    const userCode = view.userCode;
    const label =
      copyState === 'copied' ? messages.copied : copyState === 'failed' ? messages.copyFailed : messages.copy;
    const Comp = asChild ? Slot : 'button';
    return (
      <Comp
        type="button"
        data-state={view.status}
        data-copy={copyState}
        {...props}
        ref={ref}
        onClick={async (event: MouseEvent<HTMLButtonElement>) => {
          onClick?.(event);
          if (event.defaultPrevented) return;
          const copied = await copyText(userCode);
          setCopyState(copied ? 'copied' : 'failed');
          announce(copied ? messages.copied : messages.copyFailed);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setCopyState('idle'), NOTICE_MS);
          onCopied?.(copied);
        }}
      >
        {asChild ? withContent(children, label) : (children ?? label)}
      </Comp>
    );
  },
);

/* -------------------------------------------------------------------------------------------------------------
 * VerificationLink
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptVerificationLinkProps extends PrimitiveProps<'a'> {}

/**
 * "Open the verification page": `verificationUriComplete`, else `verificationUri`, in a new tab with
 * `rel="noopener noreferrer"`. Renders nothing when neither is an http(s) URL.
 */
export const DeviceCodePromptVerificationLink = forwardRef<
  HTMLAnchorElement,
  DeviceCodePromptVerificationLinkProps
>(function DeviceCodePromptVerificationLink({ asChild, children, ...props }, ref) {
  const { view, messages, verificationUrl } = useDeviceCodePrompt();
  if (view.status !== 'awaitingUser' || verificationUrl === undefined) return null;
  const content = (
    <>
      {messages.openVerificationPage} <span style={visuallyHidden}>{messages.opensInNewTab}</span>
    </>
  );
  const Comp = asChild ? Slot : 'a';
  // Slot lets the child's props win; these three must not be overridable (a child's href or rel could
  // send the person elsewhere or hand the page a window.opener).
  const forced = { href: verificationUrl, target: '_blank', rel: 'noopener noreferrer' };
  const child = asChild && isValidElement(children) ? cloneElement(children, forced) : children;
  return (
    <Comp data-state={view.status} {...props} {...forced} ref={ref}>
      {asChild ? withContent(child, content) : (children ?? content)}
    </Comp>
  );
});

/* -------------------------------------------------------------------------------------------------------------
 * VerificationUri
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptVerificationUriProps extends PrimitiveProps<'span'> {}

/** The plain `verificationUri` as text, to type on another device. Renders nothing unless it is http(s). */
export const DeviceCodePromptVerificationUri = forwardRef<
  HTMLSpanElement,
  DeviceCodePromptVerificationUriProps
>(function DeviceCodePromptVerificationUri({ asChild, children, ...props }, ref) {
  const { view, verificationUri } = useDeviceCodePrompt();
  if (view.status !== 'awaitingUser' || verificationUri === undefined) return null;
  const Comp = asChild ? Slot : 'span';
  return (
    <Comp data-state={view.status} translate="no" {...props} ref={ref}>
      {asChild ? withContent(children, verificationUri) : (children ?? verificationUri)}
    </Comp>
  );
});

/* -------------------------------------------------------------------------------------------------------------
 * QrCode
 * -----------------------------------------------------------------------------------------------------------*/

const LazyQrCodeSvg = lazy(() => import('./QrCodeSvg.tsx').then((module) => ({ default: module.QrCodeSvg })));

export interface DeviceCodePromptQrCodeProps extends PrimitiveProps<'div'> {
  /** Colour of the dark modules. Defaults to `#000`. */
  foreground?: string | undefined;
  /** Colour of the light modules. Defaults to `#fff`. */
  background?: string | undefined;
  /** Shown while the encoder loads. Defaults to nothing. */
  fallback?: ReactNode;
}

const subscribeNothing = () => () => {};

/**
 * A QR code of the verification page (`verificationUriComplete`, else `verificationUri`), for signing in with a
 * phone. The encoder is a separate chunk loaded on first render, so apps that never render this part never load
 * it. Not rendered on the server: it appears after hydration.
 */
export const DeviceCodePromptQrCode = forwardRef<HTMLDivElement, DeviceCodePromptQrCodeProps>(
  function DeviceCodePromptQrCode(
    { asChild, children, foreground, background, fallback = null, ...props },
    ref,
  ) {
    const { view, messages, verificationUrl } = useDeviceCodePrompt();
    // The lazy chunk cannot be part of server HTML (renderToString does not wait for it), so the first client
    // render must match the server's empty wrapper; the code follows right after hydration.
    const hydrated = useSyncExternalStore(
      subscribeNothing,
      () => true,
      () => false,
    );
    if (view.status !== 'awaitingUser' || verificationUrl === undefined) return null;
    const Comp = asChild ? Slot : 'div';
    const content = hydrated ? (
      <Suspense fallback={fallback}>
        <LazyQrCodeSvg
          value={verificationUrl}
          label={messages.qrCodeLabel}
          foreground={foreground}
          background={background}
        />
      </Suspense>
    ) : (
      fallback
    );
    return (
      <Comp data-state={view.status} {...props} ref={ref}>
        {asChild ? withContent(children, content) : (children ?? content)}
      </Comp>
    );
  },
);

/* -------------------------------------------------------------------------------------------------------------
 * Countdown
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptCountdownProps extends PrimitiveProps<'span'> {}

/**
 * Time left until the code expires ("Code expires in 9:59"), as a `role="timer"`, which screen readers do not
 * announce on each change; the status region says once when the code is about to expire. It re-renders once a
 * second on its own timer; nothing else in the prompt does. Empty on the server and during hydration.
 */
export const DeviceCodePromptCountdown = forwardRef<HTMLSpanElement, DeviceCodePromptCountdownProps>(
  function DeviceCodePromptCountdown({ asChild, children, ...props }, ref) {
    const { view } = useDeviceCodePrompt();
    if (view.status !== 'awaitingUser' || view.expiresAt === undefined) return null;
    return (
      <CountdownTimer expiresAt={view.expiresAt} asChild={asChild} {...props} ref={ref}>
        {children}
      </CountdownTimer>
    );
  },
);

/** The ticking part, split out so a tick re-renders only it (the parent reads context; this reads the clock). */
const CountdownTimer = forwardRef<HTMLSpanElement, DeviceCodePromptCountdownProps & { expiresAt: number }>(
  function CountdownTimer({ expiresAt, asChild, children, ...props }, ref) {
    const { view, messages, locale, aboutToExpire } = useDeviceCodePrompt();
    const text = useSecondsLeft(expiresAt, (seconds) =>
      seconds === undefined ? '' : messages.countdown(formatClock(seconds, locale)),
    );
    const Comp = asChild ? Slot : 'span';
    return (
      <Comp
        role="timer"
        data-state={view.status}
        data-expiring={aboutToExpire ? '' : undefined}
        {...props}
        ref={ref}
      >
        {asChild ? withContent(children, text) : (children ?? text)}
      </Comp>
    );
  },
);

/** `m:ss` with the locale's digits (e.g. `٩:٥٩` in Arabic). */
export function formatClock(totalSeconds: number, locale: string | undefined): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  const plain = new Intl.NumberFormat(locale, { useGrouping: false });
  const padded = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  return `${plain.format(minutes)}:${padded.format(seconds)}`;
}

/* -------------------------------------------------------------------------------------------------------------
 * Status
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptStatusProps extends PrimitiveProps<'div'> {}

/**
 * The polite live region: one `role="status"` element, present from mount, whose text alone changes, once per
 * status (and once when the code is about to expire, and for notices such as "Copied").
 */
export const DeviceCodePromptStatus = forwardRef<HTMLDivElement, DeviceCodePromptStatusProps>(
  function DeviceCodePromptStatus({ asChild, children, ...props }, ref) {
    const context = useDeviceCodePrompt();
    const Comp = asChild ? Slot : 'div';
    const content = (
      <>
        <span data-odl-part="status-text">{statusText(context)}</span>
        {/* Appended, not replacing: a polite region reads additions, so the status is not repeated. */}
        {context.notice === undefined ? null : (
          <>
            {' '}
            <span data-odl-part="notice">{context.notice}</span>
          </>
        )}
      </>
    );
    return (
      <Comp role="status" aria-live="polite" data-state={context.view.status} {...props} ref={ref}>
        {asChild ? withContent(children, content) : (children ?? content)}
      </Comp>
    );
  },
);

/** The status sentence for a view. */
export function statusText({
  view,
  messages,
  locale,
  aboutToExpire,
  aboutToExpireSeconds,
}: Pick<
  DeviceCodePromptContextValue,
  'view' | 'messages' | 'locale' | 'aboutToExpire' | 'aboutToExpireSeconds'
>): string {
  const status = view.status;
  switch (status) {
    case 'idle':
      // An error while idle means a session ended (refresh token rejected, session expired on the server).
      return view.error ? messages.statusSessionEnded : messages.statusIdle;
    case 'registering':
    case 'authorizing':
      return messages.statusStarting;
    case 'awaitingUser':
      if (aboutToExpire) return messages.statusAboutToExpire(formatDuration(aboutToExpireSeconds, locale));
      return view.isSlowedDown ? messages.statusSlowedDown : messages.statusWaiting;
    case 'authenticated':
      return view.isRefreshing ? messages.statusRefreshing : messages.statusAuthenticated;
    case 'expired':
      return messages.statusExpired;
    case 'denied':
      return messages.statusDenied;
    case 'error':
      return messages.statusError(messages.describeError(view.error));
    default:
      return status satisfies never;
  }
}

/** "1 minute", "30 seconds": a whole number of minutes when it is one, else seconds (`Intl.NumberFormat` units). */
export function formatDuration(seconds: number, locale: string | undefined): string {
  const [value, unit] = seconds >= 60 && seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/* -------------------------------------------------------------------------------------------------------------
 * Actions
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptActionProps extends PrimitiveProps<'button'> {}

/** "Sign in": rendered while not signed in and nothing runs (`idle`). Calls `start()`. */
export const DeviceCodePromptStartButton = forwardRef<HTMLButtonElement, DeviceCodePromptActionProps>(
  function DeviceCodePromptStartButton(props, ref) {
    const { view, actions, messages } = useDeviceCodePrompt();
    if (view.status !== 'idle' || view.isRestoring) return null;
    return (
      <ActionButton {...props} ref={ref} status={view.status} label={messages.start} action={actions.start} />
    );
  },
);

/** "Cancel": rendered while a sign-in runs (`registering`, `authorizing`, `awaitingUser`). Calls `cancel()`. */
export const DeviceCodePromptCancelButton = forwardRef<HTMLButtonElement, DeviceCodePromptActionProps>(
  function DeviceCodePromptCancelButton(props, ref) {
    const { view, actions, messages } = useDeviceCodePrompt();
    if (!isRunning(view.status)) return null;
    return (
      <ActionButton
        {...props}
        ref={ref}
        status={view.status}
        label={messages.cancel}
        action={actions.cancel}
      />
    );
  },
);

/**
 * "Get a new code" after `expired`, "Try again" after `denied` or `error`: calls `retry()`.
 */
export const DeviceCodePromptRetryButton = forwardRef<HTMLButtonElement, DeviceCodePromptActionProps>(
  function DeviceCodePromptRetryButton(props, ref) {
    const { view, actions, messages } = useDeviceCodePrompt();
    const status = view.status;
    if (status !== 'expired' && status !== 'denied' && status !== 'error') return null;
    const label = status === 'expired' ? messages.getNewCode : messages.tryAgain;
    return <ActionButton {...props} ref={ref} status={status} label={label} action={actions.retry} />;
  },
);

export interface DeviceCodePromptActionsProps extends PrimitiveProps<'div'> {}

/**
 * The buttons that fit the status: Sign in, Cancel, Get a new code or Try again. Renders its children instead when
 * given (compose the buttons yourself).
 */
export const DeviceCodePromptActions = forwardRef<HTMLDivElement, DeviceCodePromptActionsProps>(
  function DeviceCodePromptActions({ asChild, children, ...props }, ref) {
    const { view } = useDeviceCodePrompt();
    const Comp = asChild ? Slot : 'div';
    const content = (
      <>
        <DeviceCodePromptStartButton />
        <DeviceCodePromptCancelButton />
        <DeviceCodePromptRetryButton />
      </>
    );
    return (
      <Comp data-state={view.status} {...props} ref={ref}>
        {asChild ? withContent(children, content) : (children ?? content)}
      </Comp>
    );
  },
);

function isRunning(status: DeviceLoginStatus): boolean {
  return status === 'registering' || status === 'authorizing' || status === 'awaitingUser';
}

const ActionButton = forwardRef<
  HTMLButtonElement,
  DeviceCodePromptActionProps & { status: DeviceLoginStatus; label: string; action: () => void }
>(function ActionButton({ asChild, children, onClick, status, label, action, ...props }, ref) {
  const Comp = asChild ? Slot : 'button';
  return (
    <Comp
      type="button"
      data-state={status}
      data-odl-action=""
      {...props}
      ref={ref}
      onClick={(event: MouseEvent<HTMLButtonElement>) => {
        onClick?.(event);
        if (!event.defaultPrevented) action();
      }}
    >
      {asChild ? withContent(children, label) : (children ?? label)}
    </Comp>
  );
});

/* -------------------------------------------------------------------------------------------------------------
 * Helpers
 * -----------------------------------------------------------------------------------------------------------*/

/** Radix's VisuallyHidden styles: read by screen readers, not shown. */
const visuallyHidden: CSSProperties = {
  position: 'absolute',
  border: 0,
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  wordWrap: 'normal',
};

/** With `asChild`, puts the part's default content into the child when the child brings none of its own. */
function withContent(children: ReactNode, content: ReactNode): ReactNode {
  if (!isValidElement(children)) return children;
  const child = children as ReactElement<{ children?: ReactNode }>;
  return child.props.children === undefined || child.props.children === null
    ? cloneElement(child, undefined, content)
    : child;
}
