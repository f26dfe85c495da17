'use client';
import { z } from 'zod';

// zod 4 probes `new Function` once to choose a faster parser; our CSP allows no eval (issue 10), so it must not try.
z.config({ jitless: true });

/** Rendered once in the root layout so the setting is made before any page parses a message. */
export function ZodJitless(): null {
  return null;
}
