import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { SessionProvider } from '../../../session/session-provider';
import { json, mockApi, noContent, northwind, problem } from '../../../test/mock-api';
import { ForgotPasswordPage } from './forgot-password-page';
import { ResetPasswordPage } from './reset-password-page';
import { renderWithQueries } from '../../../test/render';

const noSession = () => problem(401, 'unauthorized', 'Unauthorized');

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
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

describe('forgotten password', () => {
  it('asks for a link and says it is on its way if the email has a login', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'GET /api/v1/companies/northwind': () => json(200, northwind),
      'POST /api/v1/auth/password-reset': () => new Response(null, { status: 202 }),
    });
    renderAt('/forgot-password?company=northwind');
    expect(await screen.findByRole('heading', { level: 1, name: 'Northwind Offshore' })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), ' crew@northwind.example ');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));

    expect(await screen.findByRole('status')).toHaveTextContent(
      'If crew@northwind.example has a Bosun login, a link to set a new password is on its way.',
    );
    expect(api.to('POST /api/v1/auth/password-reset')[0]?.body).toEqual({ email: 'crew@northwind.example' });
    expect(screen.getByRole('link', { name: 'Back to sign in' })).toHaveAttribute('href', '/login?company=northwind');
  });
});

describe('reset password page', () => {
  it('sets the new password typed twice with the token from the link, then offers sign-in', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/auth/password-reset/confirm': noContent,
    });
    renderAt('/reset-password#reset-token-1');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('New password'), 'correct horse');
    await user.type(screen.getByLabelText('New password again'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Set password' }));

    expect(await screen.findByRole('heading', { name: 'Your password is set' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
    expect(api.to('POST /api/v1/auth/password-reset/confirm')[0]?.body).toEqual({
      token: 'reset-token-1',
      password: 'correct horse',
    });
  });

  it('does not send two different passwords, nor a short one', async () => {
    const api = mockApi({ 'POST /api/v1/auth/refresh': noSession });
    renderAt('/reset-password#reset-token-1');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('New password'), 'correct horse');
    await user.type(screen.getByLabelText('New password again'), 'correct hose');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The two passwords are not the same.');

    await user.clear(screen.getByLabelText('New password'));
    await user.clear(screen.getByLabelText('New password again'));
    await user.type(screen.getByLabelText('New password'), 'short');
    await user.type(screen.getByLabelText('New password again'), 'short');
    await user.click(screen.getByRole('button', { name: 'Set password' }));
    await waitFor(() => {
      expect(screen.getByRole('alert')).toHaveTextContent('The password needs at least 8 characters.');
    });
    expect(api.to('POST /api/v1/auth/password-reset/confirm')).toHaveLength(0);
  });

  it('says a used or expired link is no longer good and offers a new one', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': noSession,
      'POST /api/v1/auth/password-reset/confirm': () => problem(409, 'reset_invalid', 'Conflict'),
    });
    renderAt('/reset-password#old-token');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('New password'), 'correct horse');
    await user.type(screen.getByLabelText('New password again'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Set password' }));

    expect(await screen.findByRole('heading', { name: 'This link has expired' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot-password');
  });

  it('says a link without its token is incomplete', async () => {
    mockApi({ 'POST /api/v1/auth/refresh': noSession });
    renderAt('/reset-password');
    expect(await screen.findByRole('heading', { name: 'This link is incomplete' })).toBeInTheDocument();
  });
});
