/**
 * What each error code the API can answer (its catalogue: the `Problem` schema's `code` in the
 * OpenAPI document) means for the person in front of the app, and what they can do about it.
 * The server's own title and detail stay shown beside it (they name the record or the limit);
 * this says it the app's way. `problem-messages.test.ts` checks the list against the document,
 * so a code added on the server fails the web tests until it has its message here.
 */

/** Every code of the catalogue, with the app's message. */
export const PROBLEM_MESSAGES = {
  bad_request: 'The app sent something the server could not read. Reload the page and try again.',
  invalid_path: 'That address does not name a record. Check the link.',
  invalid_query: 'The filters in the address could not be read. Clear them and try again.',
  malformed_json: 'The app sent something the server could not read. Reload the page and try again.',
  invalid_credentials: 'The email or password is wrong.',
  invalid_mfa_code: 'That code is wrong or has expired. Use the newest code from your authenticator app.',
  invalid_session: 'Your session has ended. Sign in again; what you typed here is kept.',
  invalid_token: 'Your session has ended. Sign in again; what you typed here is kept.',
  mfa_required: 'Enter the code from your authenticator app.',
  cross_site_request: 'The request was refused for safety. Reload the page and try again.',
  forbidden: 'Your role does not allow this. Ask an admin if you need it.',
  mfa_enrollment_required: 'Your company requires a second factor for your role. Set one up under Account first.',
  not_found: 'It is not there: it was removed, or it is not shared with you.',
  method_not_allowed: 'The server does not take this request. Update the app (reload the page).',
  request_timeout: 'The server took too long to answer. Try again; nothing was changed if this failed.',
  already_acknowledged: 'This handover has been acknowledged already.',
  already_decommissioned: 'This item has been decommissioned already.',
  already_member: 'That person already belongs to the company.',
  already_received: 'This transfer was received already.',
  already_revoked: 'That API key has been revoked already.',
  client_mismatch: 'This device’s sync identity belongs to someone else. Sign out and in again.',
  client_outdated: 'The server runs a newer version. Reload the app to update; your waiting changes are kept.',
  company_required: 'Your login belongs to several companies. Choose the company to sign in to.',
  conflict: 'Someone changed this at the same time. Reload it and try again.',
  conflict_resolved: 'This conflict has been settled already.',
  decommissioned: 'This item is decommissioned and takes no new records.',
  department_exists: 'The vessel already has a department of that name.',
  double_booked: 'The item is already booked for part of that period. Choose another period or another item.',
  email_taken: 'Another person of the company has that email.',
  equipment_decommissioned: 'The item is decommissioned and takes no new work, bookings or reports.',
  fault_not_acknowledged: 'Acknowledge the fault first.',
  fault_resolved: 'The fault is resolved: reopen it to change it.',
  file_pending: 'Only the photo’s thumbnail has arrived so far; its full image is still on its way from the device that took it.',
  id_taken: 'This record clashed with another one. Copy what you typed and enter it again.',
  imo_taken: 'Another vessel of the company has that IMO number.',
  insufficient_stock: 'Less is on hand there than this takes away. Record the missing receipt or count first.',
  invalid_transition: 'That step is not possible from the record’s current status. Reload it to see where it stands.',
  invitation_invalid: 'This invitation link has been used, withdrawn or has expired. Ask for a new one.',
  last_owner: 'The company must keep at least one owner.',
  location_name_taken: 'The vessel already has a stock location of that name.',
  mfa_already_enabled: 'A second factor is set up already.',
  mfa_not_enabled: 'No second factor is set up.',
  mfa_not_enrolling: 'Start setting up the second factor again.',
  mfa_required_by_company: 'Your company requires a second factor for your role, so it cannot be turned off.',
  not_assigned:
    'This is not assigned to you: a work order to you or your department, a daily report on an item you accepted for that day. Ask the planner.',
  not_on_vessel: 'Only people on the vessel’s rotation can do this.',
  not_the_operator: 'Only the operator the item is assigned to can do this.',
  not_resolvable: 'That value cannot be written back automatically. Change the record by hand.',
  occurrence_passed: 'This occurrence of the plan is no longer the one due. Look at the plan again.',
  over_receipt: 'That is more than the transfer still has on the way.',
  own_handover: 'The next person on the rotation acknowledges your handover, not you.',
  own_report: 'Someone other than the operator validates or returns a daily report.',
  own_work: 'Someone other than the person who completed this work verifies it.',
  part_number_taken: 'Another part of the catalogue has that number.',
  qr_code_taken: 'A label code clashed. Try again.',
  report_changed: 'The operator sent a correction meanwhile. Read the new revision, then validate or return it.',
  report_exists: 'There is a report of that item and day already. Correct that one instead.',
  report_validated: 'The daily report has been validated, so it no longer changes.',
  reset_invalid: 'This password-reset link has been used or has expired. Ask for a new one.',
  same_location: 'Send the parts to another location than the one they leave.',
  shared_login: 'This login is used in other companies too: only its owner can change it.',
  signature_required: 'This work order must be signed before it is completed.',
  slug_taken: 'Another company has that short name.',
  steps_incomplete: 'Some required checklist steps have no answer yet.',
  upload_offset_mismatch: 'The upload will carry on from where the server stands.',
  upload_size_mismatch: 'This file clashes with one the server has. Take the photo again.',
  version_conflict: 'Someone changed this since you opened it. Reload it and make your change again.',
  work_order_closed: 'This work order is done, verified or cancelled, so it cannot be edited.',
  work_order_not_workable: 'Start the work order (or resume it) before recording work on it.',
  body_too_large: 'That is too large to send.',
  chunk_too_large: 'The upload was sent in pieces too large. Update the app (reload the page).',
  file_too_large: 'The file is too large to attach.',
  unsupported_file_type: 'That kind of file cannot be attached. Photos (JPEG, PNG, WebP) and PDF documents can.',
  unsupported_encoding: 'The server does not take this request. Update the app (reload the page).',
  unsupported_media_type: 'The server does not take this kind of file here.',
  websocket_required: 'The live connection could not be opened. Reload the page.',
  validation_failed: 'Some values need fixing: see each field.',
  rate_limited: 'Too many requests for now. Wait a moment and try again.',
  too_many_attempts: 'Too many failed attempts. Wait before trying again.',
  too_many_connections: 'Too many open connections for your account. Close other tabs or devices and try again.',
  internal: 'Something went wrong on the server. Try again; if it keeps failing, tell your admin.',
  unavailable: 'The server cannot reach its database for now. Try again in a little while.',
  network_error: 'The server cannot be reached. Check the connection; what you typed is kept.',
} as const satisfies Record<string, string>;

/** A code the app has a message for. */
export type ProblemCode = keyof typeof PROBLEM_MESSAGES;

/** The app's message for `code`, if it knows the code. */
export function problemMessage(code: string | undefined): string | undefined {
  if (code === undefined || !Object.hasOwn(PROBLEM_MESSAGES, code)) return undefined;
  return PROBLEM_MESSAGES[code as ProblemCode];
}
