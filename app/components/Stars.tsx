/** ★★★☆☆ as text (S14 星级联动站、星级人员): the console's score table and the wall's station card draw stars the same way. */
export const starText = (stars: number, of = 5) => '★'.repeat(Math.max(0, Math.min(stars, of))) + '☆'.repeat(Math.max(0, of - Math.max(0, stars)));

/** Zero stars is a total below the lowest band: said in words, since five hollow stars read as "not rated". */
export default function Stars({ stars, className }: { stars: number; className?: string }) {
  const label = stars > 0 ? `${stars} 星` : '未达星级';
  return (
    <span className={className} role="img" aria-label={label} title={label} data-stars={stars} style={{ color: '#ffcc4d', letterSpacing: '1px', whiteSpace: 'nowrap' }}>
      {starText(stars)}
    </span>
  );
}
