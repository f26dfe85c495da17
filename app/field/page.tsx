import type { Viewport } from 'next';
import FieldApp from './FieldApp';

export const metadata = { title: '网格员 · 联动' };

// The page fills a phone edge to edge; safe-area insets keep buttons clear of the home bar.
export const viewport: Viewport = { width: 'device-width', initialScale: 1, viewportFit: 'cover', themeColor: '#ffffff' };

export default function FieldPage() {
  return <FieldApp />;
}
