import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { MfaStatusView, SessionView } from '../../../api/types';
import { RequireSession } from '../../../app/require-session';
import { SessionProvider } from '../../../session/session-provider';
import { json, mockApi, noContent, problem, sessionFor, userOf } from '../../../test/mock-api';
import { AccountPage } from './account-page';
import { deviceName } from './device-name';
import { renderWithQueries } from '../../../test/render';
import { signInRoute } from '../../../test/sign-in-route';

const mfaOff: MfaStatusView = { enabled: false, pending: false, recovery_codes_left: 0, required: false };
const mfaOn: MfaStatusView = { enabled: true, pending: false, recovery_codes_left: 10, required: false };

const codes = ['AAAAA-BBBBB', 'CCCCC-DDDDD', 'EEEEE-FFFFF'];

function session(id: string, overrides: Partial<SessionView> = {}): SessionView {
  return {
    id,
    current: false,
    created_at: '2026-03-01T08:00:00Z',
    last_used_at: '2026-03-02T09:30:00Z',
    expires_at: '2026-04-01T08:00:00Z',
    user_agent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
    ip: '10.0.0.5',
    last_ip: '10.0.0.6',
    mfa: false,
    ...overrides,
  };
}

const thisLaptop = session('s-this', {
  current: true,
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
});

function renderAccount() {
  const router = createMemoryRouter(
    [
      signInRoute,
      {
        path: '/account',
        element: (
          <RequireSession>
            <AccountPage />
          </RequireSession>
        ),
      },
      { path: '/vessels', element: <p>Vessels stub</p> },
    ],
    { initialEntries: ['/account'] },
  );
  renderWithQueries(
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>,
  );
  return router;
}

const refreshAs = (required = false) => () => json(200, sessionFor(userOf('admin', 'Lars Eide'), 'tok', required));

describe('account page', () => {
  it('sets up a second factor: QR code and key, a first code, then the recovery codes once', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs(),
      'GET /api/v1/me/mfa': [() => json(200, mfaOff), () => json(200, { ...mfaOn, recovery_codes_left: 3 })],
      'GET /api/v1/me/sessions': () => json(200, { items: [thisLaptop] }),
      'POST /api/v1/me/mfa/totp': () =>
        json(200, {
          secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
          otpauth_url: 'otpauth://totp/Bosun:admin%40northwind.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Bosun',
        }),
      'POST /api/v1/me/mfa/totp/confirm': [
        () => problem(401, 'invalid_mfa_code', 'Wrong code'),
        () => json(200, { recovery_codes: codes }),
      ],
    });
    renderAccount();
    const user = userEvent.setup();
    expect(await screen.findByText('Off')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Set up a second factor' }));

    const qr = await screen.findByRole('img', { name: 'QR code to scan with your authenticator app' });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(decodeURIComponent(qr.getAttribute('src') ?? '')).toContain('<svg');
    expect(screen.getByLabelText('Key to type in instead')).toHaveValue('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');

    await user.type(screen.getByLabelText('Code from your authenticator app'), '000000');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That code is wrong or was already used');

    await user.type(screen.getByLabelText('Code from your authenticator app'), '123 456');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));

    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(codes);
    expect(screen.getByText(/They are shown only now/)).toBeInTheDocument();
    const done = screen.getByRole('button', { name: 'Done' });
    expect(done).toBeDisabled();
    await user.click(screen.getByLabelText('I have saved these codes somewhere safe'));
    await user.click(done);

    expect(await screen.findByText('On')).toBeInTheDocument();
    expect(screen.getByText(/3 recovery codes left\. Get new ones before you run out\./)).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Recovery codes' })).not.toBeInTheDocument();
    expect(api.to('POST /api/v1/me/mfa/totp/confirm').map((r) => r.body)).toEqual([
      { code: '000000' },
      { code: '123456' },
    ]);
  });

  it('says the company requires a second factor when the person has none', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': refreshAs(true),
      'GET /api/v1/me/mfa': () => json(200, { ...mfaOff, required: true, pending: true }),
      'GET /api/v1/me/sessions': () => json(200, { items: [thisLaptop] }),
    });
    renderAccount();
    expect(
      await screen.findByText(/Northwind Offshore requires a second factor of owners and admins/),
    ).toBeInTheDocument();
    expect(await screen.findByText(/You started setting one up and did not finish/)).toBeInTheDocument();
  });

  it('turns the second factor off with the password and a code', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs(),
      'GET /api/v1/me/mfa': [() => json(200, mfaOn), () => json(200, mfaOff)],
      'GET /api/v1/me/sessions': () => json(200, { items: [thisLaptop] }),
      'DELETE /api/v1/me/mfa': noContent,
    });
    renderAccount();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Turn off' }));
    await user.type(screen.getByLabelText('Your password'), 'bosun-demo-2026');
    await user.type(screen.getByLabelText('Code from your authenticator app'), '123456');
    await user.click(screen.getByRole('button', { name: 'Turn off' }));

    expect(await screen.findByText('Off')).toBeInTheDocument();
    expect(api.to('DELETE /api/v1/me/mfa')[0]?.body).toEqual({ password: 'bosun-demo-2026', code: '123456' });
  });

  it('offers no way to turn it off while the company requires it', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': refreshAs(),
      'GET /api/v1/me/mfa': () => json(200, { ...mfaOn, required: true }),
      'GET /api/v1/me/sessions': () => json(200, { items: [thisLaptop] }),
    });
    renderAccount();
    expect(await screen.findByText('On')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Turn off' })).not.toBeInTheDocument();
    expect(screen.getByText(/requires a second factor of owners and admins, so it stays on/)).toBeInTheDocument();
  });

  it('makes new recovery codes after the password, and shows them once', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs(),
      'GET /api/v1/me/mfa': () => json(200, mfaOn),
      'GET /api/v1/me/sessions': () => json(200, { items: [thisLaptop] }),
      'POST /api/v1/me/mfa/recovery-codes': [
        () => problem(401, 'invalid_credentials', 'Invalid credentials'),
        () => json(200, { recovery_codes: codes }),
      ],
    });
    renderAccount();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New recovery codes' }));
    await user.type(screen.getByLabelText('Your password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Make new codes' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your password is wrong.');

    await user.clear(screen.getByLabelText('Your password'));
    await user.type(screen.getByLabelText('Your password'), 'bosun-demo-2026');
    await user.click(screen.getByRole('button', { name: 'Make new codes' }));
    expect(await screen.findByRole('list', { name: 'Recovery codes' })).toHaveTextContent('AAAAA-BBBBB');
    expect(api.to('POST /api/v1/me/mfa/recovery-codes')).toHaveLength(2);
    // A wrong password is the answer, not an expired token: no refresh in between.
    expect(api.to('POST /api/v1/auth/refresh')).toHaveLength(1);
  });

  it('changes the password, and reads the sessions again (the others ended)', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs(),
      'GET /api/v1/me/mfa': () => json(200, mfaOff),
      'GET /api/v1/me/sessions': [
        () => json(200, { items: [thisLaptop, session('s-phone')] }),
        () => json(200, { items: [thisLaptop] }),
      ],
      'PUT /api/v1/me/password': [() => problem(401, 'invalid_credentials', 'Invalid credentials'), noContent],
    });
    renderAccount();
    const user = userEvent.setup();
    await screen.findByRole('listitem', { name: 'Chrome on Android' });
    await user.type(screen.getByLabelText('Current password'), 'wrong-one');
    await user.type(screen.getByLabelText('New password'), 'a much better one');
    await user.type(screen.getByLabelText('New password again'), 'a much better one');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your current password is wrong.');
    expect(api.to('POST /api/v1/auth/refresh')).toHaveLength(1);

    await user.clear(screen.getByLabelText('Current password'));
    await user.type(screen.getByLabelText('Current password'), 'bosun-demo-2026');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByText(/Your password is changed/)).toBeInTheDocument();
    await waitFor(() => {
      expect(screen.queryByRole('listitem', { name: 'Chrome on Android' })).not.toBeInTheDocument();
    });
    expect(api.to('PUT /api/v1/me/password')[1]?.body).toEqual({
      current_password: 'bosun-demo-2026',
      new_password: 'a much better one',
    });
    expect(screen.getByLabelText('Current password')).toHaveValue('');
  });

  it('lists the sessions with this device marked, and signs another one out', async () => {
    const api = mockApi({
      'POST /api/v1/auth/refresh': refreshAs(),
      'GET /api/v1/me/mfa': () => json(200, mfaOff),
      'GET /api/v1/me/sessions': [
        () => json(200, { items: [thisLaptop, session('s-phone', { mfa: true })] }),
        () => json(200, { items: [thisLaptop] }),
      ],
      'DELETE /api/v1/me/sessions/s-phone': noContent,
    });
    renderAccount();
    const user = userEvent.setup();
    const mine = await screen.findByRole('listitem', { name: 'Firefox on Linux (this device)' });
    expect(within(mine).getByText('This device')).toBeInTheDocument();
    expect(within(mine).queryByRole('button')).not.toBeInTheDocument();
    const phone = screen.getByRole('listitem', { name: 'Chrome on Android' });
    expect(phone).toHaveTextContent('10.0.0.6');
    expect(phone).toHaveTextContent('with a second factor');

    await user.click(within(phone).getByRole('button', { name: 'Sign out Chrome on Android' }));

    await waitFor(() => {
      expect(screen.queryByRole('listitem', { name: 'Chrome on Android' })).not.toBeInTheDocument();
    });
    expect(api.to('DELETE /api/v1/me/sessions/s-phone')).toHaveLength(1);
  });
});

describe('deviceName', () => {
  it('names browser and system from common user agents', () => {
    expect(
      deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'),
    ).toBe('Safari on iPhone');
    expect(
      deviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0'),
    ).toBe('Edge on Windows');
    expect(deviceName('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36')).toBe(
      'Chrome on Mac',
    );
    expect(deviceName(null)).toBe('Unknown device');
    expect(deviceName('curl/8.5.0')).toBe('curl/8.5.0');
  });
});
