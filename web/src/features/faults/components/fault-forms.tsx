/**
 * The fault page's forms, checked with the server's rules before anything is queued: resolving
 * (root cause and resolution, 1–4,000 characters each) and commenting (1–4,000 characters).
 * What was typed stays in the form when queueing fails.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

const text = (what: string) =>
  z.string().trim().min(1, `Write the ${what}.`).max(4000, `Keep the ${what} to 4,000 characters.`);

export const resolveSchema = z.object({ root_cause: text('root cause'), resolution: text('resolution') });
type Resolve = z.infer<typeof resolveSchema>;

/** Resolving: root cause and what was done. */
export function ResolveForm({ onResolve }: { onResolve: (args: Resolve) => Promise<void> }) {
  const id = useId();
  const { register, handleSubmit, formState, reset } = useForm<Resolve>({
    resolver: zodResolver(resolveSchema),
    defaultValues: { root_cause: '', resolution: '' },
  });
  const errors = formState.errors;
  const submit = handleSubmit(async (values) => {
    await onResolve({ root_cause: values.root_cause.trim(), resolution: values.resolution.trim() });
    reset();
  });
  return (
    <form aria-label="Resolve" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="card__subtitle">Resolve</h3>
      <div className="field">
        <label htmlFor={`${id}-cause`}>Root cause</label>
        <textarea id={`${id}-cause`} rows={3} aria-invalid={errors.root_cause ? true : undefined} {...register('root_cause')} />
        {errors.root_cause ? <p role="alert">{errors.root_cause.message}</p> : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-resolution`}>What was done</label>
        <textarea id={`${id}-resolution`} rows={3} aria-invalid={errors.resolution ? true : undefined} {...register('resolution')} />
        {errors.resolution ? <p role="alert">{errors.resolution.message}</p> : null}
      </div>
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Resolve fault
      </button>
    </form>
  );
}

export const commentSchema = z.object({ body: text('comment') });
type Comment = z.infer<typeof commentSchema>;

/** Adding a comment. */
export function CommentForm({ onComment }: { onComment: (body: string) => Promise<unknown> }) {
  const id = useId();
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, formState, reset } = useForm<Comment>({
    resolver: zodResolver(commentSchema),
    defaultValues: { body: '' },
  });
  const submit = handleSubmit(async ({ body }) => {
    setFailure(null);
    try {
      await onComment(body.trim());
      reset();
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The comment could not be kept on this device.');
    }
  });
  return (
    <form aria-label="Add a comment" noValidate onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${id}-body`}>Comment</label>
        <textarea id={`${id}-body`} rows={3} aria-invalid={formState.errors.body ? true : undefined} {...register('body')} />
        {formState.errors.body ? <p role="alert">{formState.errors.body.message}</p> : null}
      </div>
      {failure ? <p role="alert">{failure}</p> : null}
      <button className="button button--primary" type="submit" disabled={formState.isSubmitting}>
        Add comment
      </button>
    </form>
  );
}
