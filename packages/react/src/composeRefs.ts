import type { Ref, RefCallback } from 'react';

/** One ref callback that sets every given ref (a part's own ref and the one its user forwarded). */
export function composeRefs<T>(...refs: Array<Ref<T> | undefined>): RefCallback<T> {
  return (node) => {
    for (const ref of refs) {
      if (typeof ref === 'function') ref(node);
      else if (ref) ref.current = node;
    }
  };
}
