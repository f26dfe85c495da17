import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { ZodJitless } from './components/ZodJitless';
import './globals.css';

// Static files in public/, not Next's app/icon convention: the touch icon must be named here, and
// naming any icon here drops the convention's; so every icon, and the manifest, lives in one place.
export const metadata: Metadata = {
  title: '联动 · 社会治理联动指挥中心',
  manifest: '/manifest.webmanifest',
  icons: {
    icon: { url: '/icons/icon.svg', type: 'image/svg+xml' },
    apple: { url: '/icons/apple-touch-icon.png', sizes: '180x180' },
  },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="zh-CN">
      <body>
        <ZodJitless />
        {children}
      </body>
    </html>
  );
}
