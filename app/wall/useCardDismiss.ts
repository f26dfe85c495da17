'use client';

import { useEffect } from 'react';

/** Nobody closes a card on an unattended wall; it gives the map back on its own. */
const AUTO_CLOSE_MS = 2 * 60_000;

/** Closes a card on Escape, or after a while; `key` restarts the wait when the card shows another item. */
export function useCardDismiss(onClose: () => void, key: string | number): void {
  useEffect(() => {
    const timer = setTimeout(onClose, AUTO_CLOSE_MS);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKey);
    };
  }, [key, onClose]);
}
