import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// React Testing Library only recognises Jest's fake timers: without this shim its waitFor/findBy* and user-event
// hang under vi.useFakeTimers() (TOOLCHAIN §4).
Object.assign(globalThis, { jest: { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) } });

// Tell React that this is a test environment, so state updates outside act() are reported.
Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

// vitest globals are off, so RTL's automatic cleanup does not register itself.
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});
