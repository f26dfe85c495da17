import WallScreen from './WallScreen';

export default function WallPage() {
  return <WallScreen />;
}
