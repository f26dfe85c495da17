/**
 * Joint-handling rules (S12): which forces an event of a category needs on scene. The table
 * `joint_rules` holds them and an administrator edits it; these are its seed. `grid` stands for
 * the full-time gridders, who are not a department but go to every joint action (S6, S12).
 */
export const GRID_FORCE = 'grid';
export const GRID_FORCE_LABEL = '网格力量';

export const DEFAULT_JOINT_RULES: Record<string, string[]> = {
  dispute: ['justice', 'police', GRID_FORCE],
  hazard: ['emergency', 'fire', 'police', GRID_FORCE],
  'hazard.fire': ['fire', 'police', GRID_FORCE],
  'hazard.traffic': ['police', 'emergency', GRID_FORCE],
  'hazard.building': ['housing', 'emergency', GRID_FORCE],
  public_order: ['police', GRID_FORCE],
  environment: ['ecology', 'enforcement', GRID_FORCE],
  market: ['market', GRID_FORCE],
  city: ['enforcement', GRID_FORCE],
  livelihood: ['civil_affairs', GRID_FORCE],
  policy: [GRID_FORCE],
  other: [GRID_FORCE],
};

/**
 * The forces an event needs: the rule of its sub-category, else of its category; the department
 * the event was routed to joins them if the rule left it out. Order is kept, duplicates dropped.
 */
export function forcesFor(
  rules: ReadonlyMap<string, readonly string[]>,
  e: { category: string; subcategory: string | null; department: string | null },
): string[] {
  const rule = (e.subcategory && rules.get(e.subcategory)) || rules.get(e.category) || [GRID_FORCE];
  const out = [...rule];
  if (e.department && !out.includes(e.department)) out.unshift(e.department);
  return [...new Set(out)];
}
