import { KEY_PERSON_CATEGORIES } from '../contracts/keyPerson';
import { PLACE_CATEGORY_LABEL } from '../contracts/place';

/** The Chinese name of an owed item's category (the API sends the code); an unknown code as it is. */
export function categoryLabel(kind: 'place' | 'person', category: string): string {
  const labels: Record<string, string> =
    kind === 'place' ? PLACE_CATEGORY_LABEL : Object.fromEntries(Object.entries(KEY_PERSON_CATEGORIES).map(([k, v]) => [k, v.label]));
  return labels[category] ?? category;
}
