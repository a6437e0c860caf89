import type { DeviceLogin, DeviceLoginStatus, DeviceLoginView } from '@oidc-device-login/core';
import { Slot } from '@radix-ui/react-slot';
import {
  type ComponentPropsWithoutRef,
  type CSSProperties,
  cloneElement,
  createContext,
  type ElementType,
  type ForwardRefExoticComponent,
  Fragment,
  forwardRef,
  isValidElement,
  type JSX,
  lazy,
  type ReactNode,
  type RefAttributes,
  Suspense,
  type SyntheticEvent,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { copyText } from './copyText.ts';
import {
  type DeviceCodePromptMessages,
  defaultDeviceCodePromptMessages,
} from './deviceCodePromptMessages.ts';
import { groupUserCode } from './groupUserCode.ts';
import { describeUnsafeUrl, safeHttpUrl } from './safeHttpUrl.ts';
import { shallowEqual } from './shallowEqual.ts';
import { useLogin } from './useLogin.ts';
import { type DeviceLoginActions, selectView, useLoginActions } from './useOidcDeviceLogin.ts';
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

/** `value` while the login waits for the person (a code is shown), else `undefined`. */
export function whileWaiting<T>(view: DeviceLoginView, value: T | undefined): T | undefined {
  return view.status === 'awaitingUser' ? value : undefined;
}

/** How long the status region keeps a notice such as "Copied", and the copy button its confirmation. */
const NOTICE_MS = 3000;

/** A value shown for a moment: `flash(value)` sets it, and it clears `NOTICE_MS` after the last call. */
function useFlash<T>(): [T | undefined, (value: T) => void] {
  const [value, setValue] = useState<T>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const flash = useCallback((next: T) => {
    setValue(() => next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setValue(undefined), NOTICE_MS);
  }, []);
  return [value, flash];
}

/* -------------------------------------------------------------------------------------------------------------
 * Root
 * -----------------------------------------------------------------------------------------------------------*/

/** `useLayoutEffect` in the browser, `useEffect` on the server (where React 18 warns about layout effects). */
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

type PrimitiveProps<E extends keyof JSX.IntrinsicElements> = ComponentPropsWithoutRef<E> & {
  /** Render the child element instead of the default one, merging props and refs into it. Defaults to `false`. */
  asChild?: boolean | undefined;
};

export interface DeviceCodePromptRootProps extends PrimitiveProps<'div'> {
  /** The login to show. Defaults to the login of the nearest `<DeviceLoginProvider>`. */
  login?: DeviceLogin | undefined;
  /**
   * Strings to replace; the rest stay English. Compared member by member, so an inline object costs no renders;
   * define function members outside render (or memoise them), since a new function is a change. Defaults to `{}`.
   */
  messages?: Partial<DeviceCodePromptMessages> | undefined;
  /**
   * BCP 47 locale for numbers and durations (countdown). An invalid tag is reported with `console.error` and
   * ignored. Defaults to the browser's locale.
   */
  locale?: string | undefined;
  /**
   * Call `start()` once per login when not signed in (after a stored session was looked for). The decision is
   * made once per login, not per mounted prompt: after the person cancels, signs out or a session ends, a prompt
   * mounted again (a dialog reopened, a layout swapping prompts, a new `key`) shows "Sign in" rather than asking
   * for a new code, since a remount is not a new decision of the person's. To start on an action of theirs, such
   * as opening a dialog, call `start()` in its handler. Defaults to `false`.
   */
  autoStart?: boolean | undefined;
  /**
   * Open the verification page in a new tab once, when a code arrives. Browsers may block a tab that no click
   * opened; the link stays there. Only the tab that runs the flow opens it: a tab showing another tab's code
   * (`codeSource: 'otherTab'`) does not. Defaults to `false`.
   */
  autoOpen?: boolean | undefined;
  /**
   * Seconds before expiry from which the status says the code is about to expire. It switches on the countdown's
   * whole-second ticks, together with the number shown, so a fraction takes effect at the next whole second below
   * it. Defaults to `60`.
   */
  aboutToExpireSeconds?: number | undefined;
  /**
   * Called with a verification URL that is not http(s), which is refused and never rendered as a link: once per
   * login and URL, however often prompts mount. Defaults to logging the refusal (scheme only) with `console.error`.
   */
  onUnsafeUrl?: ((url: string) => void) | undefined;
}

/**
 * Holds a prompt's state for its parts and renders a `div` (or its child, with `asChild`) carrying
 * `data-state` = the login's status and, while a code is shown, `data-code-source` = whose flow it is
 * (`thisTab` or `otherTab`).
 */
export const DeviceCodePromptRoot = forwardRef<HTMLDivElement, DeviceCodePromptRootProps>(
  function DeviceCodePromptRoot(
    {
      login,
      messages: messageOverrides,
      locale: localeProp,
      autoStart = false,
      autoOpen = false,
      aboutToExpireSeconds = 60,
      onUnsafeUrl,
      asChild,
      ...props
    },
    forwardedRef,
  ) {
    const resolvedLogin = useLogin(login, 'DeviceCodePrompt');
    const view = useViewSelector(resolvedLogin, selectView<DeviceLoginView>, Object.is);
    const actions = useLoginActions(resolvedLogin);
    const memory = memoryOf(resolvedLogin);
    // An inline `messages={{ … }}` is a new object each render: kept while its members are the same, so the
    // parts (and the context) do not render again for it.
    const overrides = useRef(messageOverrides);
    if (!shallowEqual(overrides.current, messageOverrides)) overrides.current = messageOverrides;
    const stableOverrides = overrides.current;
    const messages = useMemo(
      () => ({ ...defaultDeviceCodePromptMessages, ...stableOverrides }),
      [stableOverrides],
    );
    // An invalid tag would make Intl throw while rendering: fall back to the browser's locale, and say so (below).
    const locale = supportedLocale(localeProp);

    const userCode = whileWaiting(view, view.userCode);
    // Checked on the countdown's whole-second ticks; renders once, when it turns true.
    const aboutToExpire = useSecondsLeft(
      whileWaiting(view, view.expiresAt),
      (seconds = Number.POSITIVE_INFINITY) => seconds <= aboutToExpireSeconds,
    );
    const verificationUri = safeHttpUrl(view.verificationUri);
    const verificationUrl = safeHttpUrl(view.verificationUriComplete) ?? verificationUri;
    const [notice, announce] = useFlash<string>();

    // What a prompt does once (per locale, per login and URL, per code), after it commits. Each step checks what
    // was already done, which is kept per login rather than per prompt, so a prompt mounted again (a dialog
    // reopened, a layout swapping prompts) stays quiet; hence the effect runs after every commit.
    useEffect(() => {
      if (localeProp !== undefined && locale === undefined && !reportedLocales.has(localeProp)) {
        reportedLocales.add(localeProp);
        console.error(
          `DeviceCodePrompt ignored locale ${JSON.stringify(localeProp)}: not a BCP 47 tag (such as "en-GB").`,
        );
      }
      // Refuse (and report) verification URLs that are not http(s), once per login and URL.
      for (const url of [view.verificationUriComplete, view.verificationUri]) {
        if (url === undefined || safeHttpUrl(url) !== undefined || memory.urls.has(url)) continue;
        memory.urls.add(url);
        if (onUnsafeUrl) onUnsafeUrl(url);
        else {
          console.error(
            `DeviceCodePrompt refused ${describeUnsafeUrl(url)} as the verification page: only http(s) URLs ` +
              'become links. Pass onUnsafeUrl to handle this yourself.',
          );
        }
      }
      // autoOpen: once per code, so a prompt mounted again does not open a second tab for the same code; and only
      // by the tab that runs the flow: a tab mirroring another's code would open its page again (or, with no
      // click behind it, meet the popup blocker).
      if (
        autoOpen &&
        userCode !== undefined &&
        view.codeSource !== 'otherTab' &&
        verificationUrl !== undefined &&
        memory.opened !== userCode
      ) {
        memory.opened = userCode;
        window.open(verificationUrl, '_blank', 'noopener,noreferrer');
      }
    });

    // Focus: when the focused control disappears (Sign in → Cancel → Try again…), move focus to the first action
    // now shown, else to the prompt itself, instead of letting it fall to <body>. Nothing moves focus otherwise.
    const rootRef = useRef<HTMLElement | null>(null);
    const lastFocused = useRef<HTMLElement | null>(null);
    // A prompt replaced by another for the same login in one commit (a layout swap, a new key) hands its focus
    // over: the new prompt's first action takes it instead of <body>. A prompt mounted later (a dialog reopened)
    // leaves focus where the page put it.
    useIsomorphicLayoutEffect(() => {
      const root = rootRef.current;
      if (!root) return;
      const handedOver = memory.handedOver;
      memory.handedOver = false;
      if (handedOver) focusFirstAction(root);
      return () => {
        if (!root.contains(root.ownerDocument.activeElement)) return;
        memory.handedOver = true;
        queueMicrotask(() => {
          memory.handedOver = false;
        });
      };
    }, [memory]);
    // After every commit, in layout effects, so the browser paints neither the idle screen autoStart leaves nor
    // focus on <body>.
    useIsomorphicLayoutEffect(() => {
      // autoStart: decide once per login, after any stored session was looked for, so a restored session is kept
      // and a later cancel or logout does not start again; a login swapped in later (another region) gets its
      // decision too. Kept per login rather than per prompt: a prompt mounted again is not a new decision of the
      // person's, and StrictMode's effect replay finds it made.
      if (autoStart && !memory.started && !view.isRestoring) {
        memory.started = true;
        if (view.status === 'idle') actions.start();
      }
      const root = rootRef.current;
      if (root && lastFocused.current?.isConnected === false) {
        lastFocused.current = focusFirstAction(root) ?? lastFocused.current;
      }
    });

    const value: DeviceCodePromptContextValue = {
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
    };
    // A new context object only when a member changed: the members, always the same ten, are the dependencies.
    // biome-ignore lint/correctness/useExhaustiveDependencies: the dependency list is the value's members.
    const context = useMemo(() => value, Object.values(value));

    const Comp = asChild ? Slot : 'div';
    return (
      <DeviceCodePromptContext.Provider value={context}>
        {/* The outer Slot gives the element our ref composed with the forwarded one (Radix composes refs, so the
            kit ships no second composer), and runs our onFocus after the caller's; the caller's props win. */}
        <Slot
          ref={rootRef}
          tabIndex={-1}
          data-state={view.status}
          data-code-source={view.codeSource}
          onFocus={(event) => {
            if (event.target instanceof HTMLElement) lastFocused.current = event.target;
          }}
        >
          <Comp {...props} ref={forwardedRef} />
        </Slot>
      </DeviceCodePromptContext.Provider>
    );
  },
);

/**
 * When nothing has focus (it fell to `<body>`), moves it to the prompt's first action, else to the prompt itself,
 * and returns what took it.
 */
function focusFirstAction(root: HTMLElement): HTMLElement | undefined {
  const active = root.ownerDocument.activeElement;
  if (active && active !== root.ownerDocument.body) return;
  const target = root.querySelector<HTMLElement>('[data-odl-action]') ?? root;
  target.focus();
  return target;
}

/** `locale` when Intl accepts it as a language tag, else `undefined` (the default locale). */
function supportedLocale(locale: string | undefined): string | undefined {
  if (locale === undefined) return undefined;
  try {
    Intl.getCanonicalLocales(locale);
    return locale;
  } catch {
    return undefined;
  }
}

/** Invalid locale tags already reported. */
const reportedLocales = new Set<string>();

/** What the prompts of one login remember, whichever prompt (mounted now or before) did it. */
interface LoginMemory {
  /** The `autoStart` decision was made. */
  started?: boolean;
  /** Refused verification URLs already reported. */
  urls: Set<string>;
  /** A focused prompt was just unmounted, for a prompt mounted in the same commit to take over. */
  handedOver?: boolean;
  /** The last code `autoOpen` opened. */
  opened?: string;
}

const memories = new WeakMap<DeviceLogin, LoginMemory>();

/** The memory of `login`'s prompts, made on first use. */
function memoryOf(login: DeviceLogin): LoginMemory {
  const memory = memories.get(login) ?? { urls: new Set() };
  memories.set(login, memory);
  return memory;
}

/* -------------------------------------------------------------------------------------------------------------
 * The part factory
 * -----------------------------------------------------------------------------------------------------------*/

/**
 * What a part renders: its element's props (its defaults, then the caller's), its default content, and props
 * that neither the caller nor an `asChild` child may override.
 */
type Rendered = [props: object, content: ReactNode, forced?: object];

/**
 * A headless part: a `tag` element (or, with `asChild`, the child element) carrying `data-state` (and
 * `data-code-source` while a code is shown), the caller's props and ref, and the part's default content unless
 * the caller (or the `asChild` child) brings its own. `render` may call hooks (it runs on every render, before
 * anything returns) and returns falsy while the part does not apply, which renders nothing.
 */
function part<P extends { asChild?: boolean | undefined; children?: ReactNode }, T extends HTMLElement>(
  tag: keyof JSX.IntrinsicElements,
  render: (
    context: DeviceCodePromptContextValue,
    props: Omit<P, 'asChild' | 'children'>,
  ) => Rendered | false | null,
): ForwardRefExoticComponent<P & RefAttributes<T>> {
  // biome-ignore lint/correctness/noComponentHookFactories: called once per part at module scope, never in a render.
  return forwardRef<T, P>(function DeviceCodePromptPart({ asChild, children, ...props }, ref) {
    const context = useDeviceCodePrompt();
    const rendered = render(context, props as Omit<P, 'asChild' | 'children'>);
    if (!rendered) return null;
    const [own, content, forced] = rendered;
    const Comp: ElementType = asChild ? Slot : tag;
    return (
      <Comp
        data-state={context.view.status}
        data-code-source={context.view.codeSource}
        {...own}
        {...forced}
        ref={ref}
      >
        {asChild ? withContent(children, content, forced) : (children ?? content)}
      </Comp>
    );
  }) as ForwardRefExoticComponent<P & RefAttributes<T>>;
}

/**
 * With `asChild`: the child, given the forced props, and the part's default content when it brings none of its
 * own. (Slot lets the child's props win over the part's, hence the forced ones go onto the child itself.)
 */
function withContent(children: ReactNode, content: ReactNode, forced: object | undefined): ReactNode {
  return isValidElement<{ children?: ReactNode }>(children)
    ? cloneElement(children, { ...forced, children: children.props.children ?? content })
    : children;
}

/** Runs the caller's handler, then the part's action unless the handler prevented the default. */
function after<E extends SyntheticEvent>(handler: ((event: E) => void) | undefined, action: () => void) {
  return (event: E) => {
    handler?.(event);
    if (!event.defaultPrevented) action();
  };
}

/* -------------------------------------------------------------------------------------------------------------
 * UserCode
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptUserCodeProps extends PrimitiveProps<'span'> {}

/**
 * The user code, in groups (`ABCD-EFGH` as `ABCD` and `EFGH`), labelled "Your code" and spelled out for screen
 * readers one character at a time. Rendered whenever a code is shown, whatever the verification URL looks like:
 * some verification pages do not show the code, and the person must be able to compare it.
 */
export const DeviceCodePromptUserCode = part<DeviceCodePromptUserCodeProps, HTMLSpanElement>(
  'span',
  ({ view, messages }, props) => {
    const userCode = whileWaiting(view, view.userCode);
    if (userCode === undefined) return null;
    const groups = groupUserCode(userCode);
    return [
      { role: 'group', 'aria-label': messages.userCodeLabel, ...props },
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
      </>,
    ];
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
export const DeviceCodePromptCopyButton = part<DeviceCodePromptCopyButtonProps, HTMLButtonElement>(
  'button',
  function useCopyButton({ view, messages, announce }, { onClick, onCopied, ...props }) {
    const [copyState = 'idle', flash] = useFlash<CopyState>();
    const userCode = whileWaiting(view, view.userCode);
    if (userCode === undefined) return null;
    return [
      {
        type: 'button',
        'data-copy': copyState,
        ...props,
        onClick: after(onClick, async () => {
          const copied = await copyText(userCode);
          flash(copied ? 'copied' : 'failed');
          announce(copied ? messages.copied : messages.copyFailed);
          onCopied?.(copied);
        }),
      },
      copyState === 'copied' ? messages.copied : copyState === 'failed' ? messages.copyFailed : messages.copy,
    ];
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
export const DeviceCodePromptVerificationLink = part<
  DeviceCodePromptVerificationLinkProps,
  HTMLAnchorElement
>('a', ({ view, messages, verificationUrl }, props) => {
  const href = whileWaiting(view, verificationUrl);
  return (
    href !== undefined && [
      props,
      <>
        {messages.openVerificationPage} <span style={visuallyHidden}>{messages.opensInNewTab}</span>
      </>,
      // Never overridable: a caller's or child's href or rel could send the person elsewhere or hand the page
      // a window.opener.
      { href, target: '_blank', rel: 'noopener noreferrer' },
    ]
  );
});

/* -------------------------------------------------------------------------------------------------------------
 * VerificationUri
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptVerificationUriProps extends PrimitiveProps<'span'> {}

/** The plain `verificationUri` as text, to type on another device. Renders nothing unless it is http(s). */
export const DeviceCodePromptVerificationUri = part<DeviceCodePromptVerificationUriProps, HTMLSpanElement>(
  'span',
  ({ view, verificationUri }, props) => {
    const uri = whileWaiting(view, verificationUri);
    return uri !== undefined && [{ translate: 'no', ...props }, uri];
  },
);

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
export const DeviceCodePromptQrCode = part<DeviceCodePromptQrCodeProps, HTMLDivElement>(
  'div',
  function useQrCode(
    { view, messages, verificationUrl },
    { foreground, background, fallback = null, ...props },
  ) {
    // The lazy chunk cannot be part of server HTML (renderToString does not wait for it), so the first client
    // render must match the server's empty wrapper; the code follows right after hydration.
    const hydrated = useSyncExternalStore(
      subscribeNothing,
      () => true,
      () => false,
    );
    const value = whileWaiting(view, verificationUrl);
    if (value === undefined) return null;
    const content = hydrated ? (
      <Suspense fallback={fallback}>
        <LazyQrCodeSvg
          value={value}
          label={messages.qrCodeLabel}
          foreground={foreground}
          background={background}
        />
      </Suspense>
    ) : (
      fallback
    );
    return [props, content];
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
export const DeviceCodePromptCountdown = part<DeviceCodePromptCountdownProps, HTMLSpanElement>(
  'span',
  function useCountdown({ view, messages, locale, aboutToExpire }, props) {
    const expiresAt = whileWaiting(view, view.expiresAt);
    const text = useSecondsLeft(expiresAt, (seconds) =>
      seconds === undefined ? '' : messages.countdown(formatClock(seconds, locale)),
    );
    return (
      expiresAt !== undefined && [
        { role: 'timer', 'data-expiring': aboutToExpire ? '' : undefined, ...props },
        text,
      ]
    );
  },
);

/** `m:ss` with the locale's digits (e.g. `٩:٥٩` in Arabic). */
export function formatClock(totalSeconds: number, locale: string | undefined): string {
  const digits = (value: number, minimumIntegerDigits: number) =>
    formatNumber(value, locale, { minimumIntegerDigits, useGrouping: false });
  return `${digits(Math.floor(totalSeconds / 60), 1)}:${digits(totalSeconds % 60, 2)}`;
}

/* -------------------------------------------------------------------------------------------------------------
 * Status
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptStatusProps extends PrimitiveProps<'div'> {}

/**
 * The polite live region: one `role="status"` element, present from mount, whose text alone changes, once per
 * status (and once when the code is about to expire, and for notices such as "Copied"). A token refresh, which
 * runs on its own (hourly on AWS), is shown (`data-refreshing`, the `statusRefreshing` text) but not announced:
 * what assistive technology reads stays "You are signed in." until the session ends, which is announced once.
 */
export const DeviceCodePromptStatus = part<DeviceCodePromptStatusProps, HTMLDivElement>(
  'div',
  (context, props) => {
    const refreshing = context.view.status === 'authenticated' && context.view.isRefreshing;
    return [
      { role: 'status', 'aria-live': 'polite', 'data-refreshing': refreshing ? '' : undefined, ...props },
      <>
        {/* The announced text keeps its node and its words during a refresh; only its look changes. */}
        <span data-odl-part="status-text" style={refreshing ? visuallyHidden : undefined}>
          {statusText(context)}
        </span>
        {refreshing ? (
          <span data-odl-part="status-refreshing" aria-hidden="true">
            {context.messages.statusRefreshing}
          </span>
        ) : null}
        {/* Appended, not replacing: a polite region reads additions, so the status is not repeated. */}
        {context.notice === undefined ? null : (
          <>
            {' '}
            <span data-odl-part="notice">{context.notice}</span>
          </>
        )}
      </>,
    ];
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
      // Not known yet while a stored session is looked for: "not signed in" would be wrong for a signed-in person.
      if (view.isRestoring) return messages.statusRestoring;
      // An error while idle means a session ended (refresh token rejected, session expired on the server).
      return view.error ? messages.statusSessionEnded : messages.statusIdle;
    case 'registering':
    case 'authorizing':
      return messages.statusStarting;
    case 'awaitingUser':
      if (aboutToExpire) return messages.statusAboutToExpire(formatDuration(aboutToExpireSeconds, locale));
      return view.isSlowedDown ? messages.statusSlowedDown : messages.statusWaiting;
    case 'authenticated':
      // Also while refreshing: the status region shows the refresh beside this text, never in it.
      return messages.statusAuthenticated;
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
  return formatNumber(value, locale, { style: 'unit', unit, unitDisplay: 'long' });
}

const formatNumber = (value: number, locale: string | undefined, options: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(locale, options).format(value);

/* -------------------------------------------------------------------------------------------------------------
 * Actions
 * -----------------------------------------------------------------------------------------------------------*/

export interface DeviceCodePromptActionProps extends PrimitiveProps<'button'> {}

/** A button that, while `choose` gives it a label and an action, calls the action on click. */
function actionButton(
  choose: (context: DeviceCodePromptContextValue) => [label: string, action: () => void] | false,
): ForwardRefExoticComponent<DeviceCodePromptActionProps & RefAttributes<HTMLButtonElement>> {
  return part<DeviceCodePromptActionProps, HTMLButtonElement>('button', (context, { onClick, ...props }) => {
    const chosen = choose(context);
    return (
      chosen && [
        { type: 'button', 'data-odl-action': '', ...props, onClick: after(onClick, chosen[1]) },
        chosen[0],
      ]
    );
  });
}

/** "Sign in": rendered while not signed in and nothing runs (`idle`). Calls `start()`. */
export const DeviceCodePromptStartButton = actionButton(
  ({ view, actions, messages }) =>
    view.status === 'idle' && !view.isRestoring && [messages.start, actions.start],
);

/** "Cancel": rendered while a sign-in runs (`registering`, `authorizing`, `awaitingUser`). Calls `cancel()`. */
export const DeviceCodePromptCancelButton = actionButton(
  ({ view, actions, messages }) => isRunning(view.status) && [messages.cancel, actions.cancel],
);

/**
 * "Get a new code" after `expired`, "Try again" after `denied` or `error`: calls `retry()`.
 */
export const DeviceCodePromptRetryButton = actionButton(
  ({ view: { status }, actions, messages }) =>
    (status === 'expired' || status === 'denied' || status === 'error') && [
      status === 'expired' ? messages.getNewCode : messages.tryAgain,
      actions.retry,
    ],
);

export interface DeviceCodePromptActionsProps extends PrimitiveProps<'div'> {}

/**
 * The buttons that fit the status: Sign in, Cancel, Get a new code or Try again. Renders its children instead when
 * given (compose the buttons yourself).
 */
export const DeviceCodePromptActions = part<DeviceCodePromptActionsProps, HTMLDivElement>(
  'div',
  (_, props) => [
    props,
    <>
      <DeviceCodePromptStartButton />
      <DeviceCodePromptCancelButton />
      <DeviceCodePromptRetryButton />
    </>,
  ],
);

function isRunning(status: DeviceLoginStatus): boolean {
  return status === 'registering' || status === 'authorizing' || status === 'awaitingUser';
}

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
