import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockApi, sessionFor, userOf, vessel } from '../test/mock-api';
import { forgetWaitingUpdate, reportUpdateWaiting } from './app-update';
import { AppProviders } from './providers';
import { routes } from './routes';

afterEach(() => {
  act(() => {
    forgetWaitingUpdate();
  });
});

describe('a new version of the app', () => {
  it('is offered in the shell and started only when the person asks', async () => {
    mockApi({
      'POST /api/v1/auth/refresh': () => json(200, sessionFor(userOf('crew', 'Cato Crew'), 'tok')),
      'GET /api/v1/vessels': () => json(200, { items: [vessel('Northwind Tern')], next_cursor: null }),
    });
    render(
      <AppProviders>
        <RouterProvider router={createMemoryRouter(routes, { initialEntries: ['/vessels'] })} />
      </AppProviders>,
    );
    await screen.findByRole('listitem', { name: 'Northwind Tern' });
    expect(screen.queryByText('A new version of Bosun is ready.')).not.toBeInTheDocument();

    const activate = vi.fn(() => Promise.resolve());
    act(() => {
      reportUpdateWaiting(activate);
    });
    const banner = screen.getByText('A new version of Bosun is ready.').closest('div');
    if (banner === null) throw new Error('the banner is not a block of its own');
    expect(activate).not.toHaveBeenCalled();

    await userEvent.setup().click(within(banner).getByRole('button', { name: 'Reload' }));
    expect(activate).toHaveBeenCalledTimes(1);
  });
});
