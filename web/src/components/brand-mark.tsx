/**
 * A company's logo and display name, as shown in headers.
 */
import type { Branding } from '../api/types';

/** The logo (when the company has one; decorative, the name beside it says who) and display name. */
export function BrandMark({ branding, as: Heading = 'span' }: { branding: Branding; as?: 'h1' | 'span' }) {
  return (
    <Heading className="brand-mark">
      {branding.logo_url ? (
        <img className="brand-mark__logo" src={branding.logo_url} alt="" />
      ) : null}
      <span className="brand-mark__name">{branding.display_name}</span>
    </Heading>
  );
}
