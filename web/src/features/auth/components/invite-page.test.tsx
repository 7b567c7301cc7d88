import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { InvitationPreview } from '../../../api/types';
import { SessionProvider } from '../../../session/session-provider';
import { invalid, json, mockApi, northwind, problem, sessionFor, userOf } from '../../../test/mock-api';
import { InvitePage } from './invite-page';
import { renderWithQueries } from '../../../test/render';

const noSession = () => problem(401, 'unauthorized', 'Unauthorized');

const preview: InvitationPreview = {
  company: northwind,
  email: 'new.person@example.com',
  name: 'Nina Newcomer',
  role: 'engineer',
  expires_at: '2026-04-01T12:00:00Z',
};

function renderInvite(path = '/invite#tok-1') {
  const router = createMemoryRouter(
    [
      { path: '/invite', element: <InvitePage /> },
      { path: '/vessels', element: <p>Vessels stub</p> },
      { path: '/account', element: <p>Account stub</p> },
      { path: '/login', element: <p>Login stub</p> },
    ],
    { initialEntries: [path] },
  );
  renderWithQueries(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
  return router;
}

describe('invitation page', () => {
  it('shows the company, who is invited and as what, from the token in the link', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/invitations/lookup': () => json(200, preview),
    });
    renderInvite();

    expect(await screen.findByRole('heading', { level: 1, name: 'Northwind Offshore' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Join Northwind Offshore on Bosun' })).toBeInTheDocument();
    expect(screen.getByText(/Nina Newcomer, Northwind Offshore invites you as/)).toHaveTextContent('Engineer');
    expect(screen.getByText('new.person@example.com')).toBeInTheDocument();
    expect(document.querySelector<HTMLElement>('.login')?.style.getPropertyValue('--brand')).toBe('#0a6e5c');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/Already use Bosun with new.person@example.com/);
    expect(api.to('POST /api/v1/invitations/lookup')[0]?.body).toEqual({ token: 'tok-1' });
    await waitFor(() => {
      expect(document.title).toBe('Invitation · Northwind Offshore · Bosun');
    });
  });

  it('accepts with a new password and a name, signs in and lands on the home page', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/invitations/lookup': () => json(200, preview),
      'POST /api/v1/invitations/accept': () => json(200, sessionFor(userOf('engineer', 'Nina N.'), 'tok-new')),
    });
    const router = renderInvite();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Password'), 'a-new-password');
    await user.type(screen.getByLabelText('Your name (optional)'), '  Nina N. ');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));

    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/vessels');
    });
    expect(api.to('POST /api/v1/invitations/accept')[0]?.body).toEqual({
      token: 'tok-1',
      password: 'a-new-password',
      name: 'Nina N.',
    });
    expect(localStorage.getItem('bosun.last-company')).toBe('northwind');
  });

  it('asks for the existing login’s second-factor code and sends it with the password', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/invitations/lookup': () => json(200, { ...preview, role: 'admin' }),
      'POST /api/v1/invitations/accept': [
        () => problem(401, 'mfa_required', 'Second factor required'),
        () => json(200, sessionFor(userOf('admin'), 'tok-a')),
      ],
    });
    const router = renderInvite();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Password'), 'existing-password');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));

    await user.type(await screen.findByLabelText('Code from your authenticator app'), '654321');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));

    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/vessels');
    });
    expect(api.to('POST /api/v1/invitations/accept').map((r) => r.body)).toEqual([
      { token: 'tok-1', password: 'existing-password' },
      { token: 'tok-1', password: 'existing-password', mfa_code: '654321' },
    ]);
  });

  it('goes to set up a second factor when the company requires one of the new admin', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/invitations/lookup': () => json(200, { ...preview, role: 'admin' }),
      'POST /api/v1/invitations/accept': () => json(200, sessionFor(userOf('admin'), 'tok-a', true)),
    });
    const router = renderInvite();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Password'), 'a-new-password');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/account');
    });
  });

  it('says when the password is not the existing login’s, offering the reset', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/invitations/lookup': () => json(200, preview),
      'POST /api/v1/invitations/accept': () => problem(401, 'invalid_credentials', 'Invalid credentials'),
    });
    renderInvite();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Password'), 'not-it-at-all');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('new.person@example.com already has a Bosun login, and that is not its password.');
    expect(screen.getByRole('link', { name: 'Forgot your password?' })).toHaveAttribute('href', '/forgot-password');
  });

  it('names the fields the server rejected', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/invitations/lookup': () => json(200, preview),
      'POST /api/v1/invitations/accept': () =>
        invalid([{ field: 'password', code: 'too_short', message: 'must have at least 8 characters' }]),
    });
    renderInvite();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Password: must have at least 8 characters');
  });

  it('says plainly that a used or expired invitation is no longer valid', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/invitations/lookup': () => problem(409, 'invitation_invalid', 'Conflict', 'this invitation link is not valid any more'),
    });
    renderInvite();
    expect(await screen.findByRole('heading', { name: 'This invitation is no longer valid' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('already accepted, withdrawn, or it has expired');
    expect(screen.getByRole('link', { name: 'Go to sign in' })).toHaveAttribute('href', '/login');
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
  });

  it('says so when the invitation stops being valid while the page is open', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/invitations/lookup': () => json(200, preview),
      'POST /api/v1/invitations/accept': () => problem(409, 'invitation_invalid', 'Conflict'),
    });
    renderInvite();
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Password'), 'a-new-password');
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }));
    expect(await screen.findByRole('heading', { name: 'This invitation is no longer valid' })).toBeInTheDocument();
  });

  it('says a link without its token is incomplete, asking the server nothing', async () => {
    const api = mockApi({ 'POST /api/v1/auth/refresh': noSession });
    renderInvite('/invite');
    expect(await screen.findByRole('heading', { name: 'This link is incomplete' })).toBeInTheDocument();
    expect(api.to('POST /api/v1/invitations/lookup')).toHaveLength(0);
  });
});
