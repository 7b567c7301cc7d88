/**
 * The company's branding (owners and admins): the name people see, the logo's address and the
 * colour, with a live preview of the header and a button in that colour. The form checks what
 * the server checks (`Branding::parse`); the server's 422 lands on the same fields.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import type { ApiError } from '../../../api/client';
import type { Branding } from '../../../api/types';
import { BrandMark } from '../../../components/brand-mark';
import { brandStyle, contrastTextColor, parseBrandColor } from '../../../components/brand-theme';
import { FieldFrame, TextField } from '../../../components/form-field';
import { ProblemAlert } from '../../../components/problem-alert';
import { setServerFieldErrors } from '../../../components/server-field-errors';
import { useAction } from '../../../components/use-action';
import { useSession, useSignedInUser } from '../../../session/session-context';
import { updateBranding } from '../api/company';

// eslint-disable-next-line no-control-regex -- the rule is exactly "no control characters"
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The server's rules for branding. */
export const brandingSchema = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, 'Enter the name people see')
    .max(120, 'At most 120 characters')
    .refine((v) => !CONTROL.test(v), 'No control characters'),
  logoUrl: z
    .string()
    .trim()
    .max(2048, 'At most 2,048 characters')
    .refine(
      (v) => v === '' || ((v.startsWith('https://') || (v.startsWith('/') && !v.startsWith('//'))) && !/\s/.test(v) && !CONTROL.test(v)),
      'An https:// address or a path starting with /',
    ),
  primaryColor: z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, 'A colour like #0b4f6c'),
});

type BrandingValues = z.infer<typeof brandingSchema>;

const SERVER_FIELDS = { display_name: 'displayName', logo_url: 'logoUrl', primary_color: 'primaryColor' } as const;

/** The form. */
export function BrandingForm() {
  const user = useSignedInUser();
  const { updateCompany } = useSession();
  const branding = user.company.branding;
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const { run, pending } = useAction(updateBranding, 'Could not save the branding');
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    control,
    formState: { errors },
  } = useForm<BrandingValues>({
    resolver: zodResolver(brandingSchema),
    defaultValues: {
      displayName: branding.display_name,
      logoUrl: branding.logo_url ?? '',
      primaryColor: parseBrandColor(branding.primary_color),
    },
  });
  const [displayName, logoUrl, primaryColor] = useWatch({ control, name: ['displayName', 'logoUrl', 'primaryColor'] });
  const previewColor = /^#[0-9a-fA-F]{6}$/.test(primaryColor.trim()) ? primaryColor.trim().toLowerCase() : null;
  const preview: Branding = {
    display_name: displayName.trim() || branding.display_name,
    logo_url: brandingSchema.shape.logoUrl.safeParse(logoUrl).success && logoUrl.trim() !== '' ? logoUrl.trim() : null,
    primary_color: previewColor ?? branding.primary_color,
  };

  const submit = handleSubmit(async (values) => {
    setSaved(false);
    setProblem(null);
    const outcome = await run(user.company.id, values);
    if (outcome.ok) {
      updateCompany(outcome.value);
      setSaved(true);
    } else {
      setProblem(setServerFieldErrors(outcome.error, setError, SERVER_FIELDS));
    }
  });

  return (
    <form className="branding-form" aria-label="Branding" noValidate onSubmit={(e) => void submit(e)}>
      <TextField
        label="Display name"
        hint="Shown on the sign-in page and at the top of every page."
        error={errors.displayName?.message}
        registration={register('displayName')}
        autoComplete="organization"
      />
      <TextField
        label="Logo address"
        hint="An https:// address or a path on this server starting with /; leave empty for no logo."
        error={errors.logoUrl?.message}
        registration={register('logoUrl')}
        inputMode="url"
        autoComplete="off"
      />
      <FieldFrame label="Colour" hint="#rrggbb; text on it turns black or white, whichever reads better." error={errors.primaryColor?.message}>
        {(ids) => (
          <div className="colour-field">
            <input
              type="color"
              className="colour-field__swatch"
              aria-label="Pick the colour"
              value={previewColor ?? parseBrandColor(branding.primary_color)}
              onChange={(e) => {
                setValue('primaryColor', e.target.value, { shouldValidate: true, shouldDirty: true });
              }}
            />
            <input {...ids} {...register('primaryColor')} spellCheck={false} autoComplete="off" />
          </div>
        )}
      </FieldFrame>
      <div className="branding-preview" aria-label="Preview" role="group">
        <p className="branding-preview__label">Preview</p>
        <div className="branding-preview__header" style={brandStyle(preview.primary_color)}>
          <BrandMark branding={preview} />
        </div>
        <p className="branding-preview__note">
          {previewColor
            ? `Text on ${previewColor} is ${contrastTextColor(previewColor) === '#ffffff' ? 'white' : 'black'}.`
            : 'Enter a colour like #0b4f6c to see it.'}
        </p>
      </div>
      {problem ? <ProblemAlert error={problem} /> : null}
      {saved ? (
        <p className="notice notice--success" role="status">
          Branding saved. Everyone sees it from their next page.
        </p>
      ) : null}
      <button className="button button--primary" type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save branding'}
      </button>
    </form>
  );
}
