/**
 * The phone rings for a new dispatch or invitation: three short tones made by Web Audio (no sound
 * file to fetch) and a vibration where the phone can. Browsers keep audio suspended until the page
 * has been touched, so the first touch anywhere unlocks it; until then the vibration and the
 * full-screen card carry the call.
 */
let ctx: AudioContext | null = null;

function context(): AudioContext | null {
  if (typeof window === 'undefined' || typeof AudioContext === 'undefined') return null;
  ctx ??= new AudioContext();
  return ctx;
}

export function unlockAudioOnTouch(): () => void {
  const unlock = () => void context()?.resume().catch(() => undefined);
  window.addEventListener('pointerdown', unlock, { capture: true });
  return () => window.removeEventListener('pointerdown', unlock, { capture: true });
}

/** Returns whether the tones could play (audio running). */
export function ring(): boolean {
  navigator.vibrate?.([300, 120, 300, 120, 300]);
  const ac = context();
  if (!ac) return false;
  void ac.resume().catch(() => undefined);
  const t0 = ac.currentTime + 0.02;
  for (let i = 0; i < 3; i++) {
    const osc = ac.createOscillator();
    const gain = ac.createGain();
    osc.type = 'square';
    osc.frequency.value = i % 2 ? 660 : 880;
    gain.gain.setValueAtTime(0.0001, t0 + i * 0.35);
    gain.gain.exponentialRampToValueAtTime(0.3, t0 + i * 0.35 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.35 + 0.28);
    osc.connect(gain).connect(ac.destination);
    osc.start(t0 + i * 0.35);
    osc.stop(t0 + i * 0.35 + 0.3);
  }
  return ac.state === 'running';
}

/** For e2e tests: whether the phone's audio is running (null: no Web Audio here). */
export function audioState(): string | null {
  return ctx?.state ?? null;
}
