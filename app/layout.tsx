import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { ZodJitless } from './components/ZodJitless';
import './globals.css';

export const metadata: Metadata = {
  title: '联动 · 社会治理联动指挥中心',
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
