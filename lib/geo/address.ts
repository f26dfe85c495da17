export interface VillageName {
  code: string;
  name: string;
  townName: string;
}

export type VillageMatch = { ok: true; code: string } | { ok: false; reason: 'none' | 'ambiguous'; candidates: string[] };

/**
 * Finds the village an address names (issue 4: an event with only an address is placed at its
 * village). The longest village name in the text wins; the same name in two towns is settled by
 * the town's name, or else reported as ambiguous rather than guessed.
 */
export function matchVillage(text: string, villages: readonly VillageName[]): VillageMatch {
  const hits = villages.filter((v) => v.name.length >= 2 && text.includes(v.name));
  if (hits.length === 0) return { ok: false, reason: 'none', candidates: [] };
  const longest = Math.max(...hits.map((v) => v.name.length));
  // A shorter name inside a longer hit ("新村" in "新丰新村") is not a separate candidate.
  let best = hits.filter((v) => v.name.length === longest || !hits.some((w) => w.name.length > v.name.length && w.name.includes(v.name)));
  if (best.length > 1) {
    const inTown = best.filter((v) => text.includes(v.townName));
    if (inTown.length >= 1) best = inTown;
  }
  if (best.length > 1) {
    const byLength = best.filter((v) => v.name.length === longest);
    if (byLength.length === 1) return { ok: true, code: byLength[0].code };
    return { ok: false, reason: 'ambiguous', candidates: best.map((v) => v.code) };
  }
  return { ok: true, code: best[0].code };
}
