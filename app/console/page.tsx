import ConsoleScreen from './ConsoleScreen';

export const metadata = { title: '指挥台 · 联动' };

export default function ConsolePage() {
  return <ConsoleScreen />;
}
