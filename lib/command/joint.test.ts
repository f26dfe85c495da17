import { describe, expect, it } from 'vitest';
import { DEFAULT_JOINT_RULES, forcesFor, GRID_FORCE } from './joint';

const rules = new Map(Object.entries(DEFAULT_JOINT_RULES));

describe('joint-handling rules (S12)', () => {
  it('takes the sub-category rule before the category rule', () => {
    expect(forcesFor(rules, { category: 'hazard', subcategory: 'hazard.fire', department: 'fire' })).toEqual(['fire', 'police', GRID_FORCE]);
    expect(forcesFor(rules, { category: 'hazard', subcategory: 'hazard.gas', department: 'emergency' })).toEqual(['emergency', 'fire', 'police', GRID_FORCE]);
  });

  it('adds the department the event was routed to when the rule lacks it', () => {
    expect(forcesFor(rules, { category: 'market', subcategory: null, department: 'police' })).toEqual(['police', 'market', GRID_FORCE]);
  });

  it('falls back to the gridders for a category without a rule', () => {
    expect(forcesFor(new Map(), { category: 'unknown', subcategory: null, department: null })).toEqual([GRID_FORCE]);
  });
});
