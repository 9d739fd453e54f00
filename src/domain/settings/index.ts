/**
 * Every setting of the package, declared once in the modules of this folder
 * (see `src/shared/settings.ts` for what a declaration holds and what is
 * derived from it), and every family's list. A function's entry imports the
 * module of its own family rather than this one, so that its bundle holds
 * only its settings.
 */
import type { SettingFamily, SettingList } from '../../shared/settings.js';
import { CHANGE_SIGNAL_SETTINGS } from './changeSignalSettings.js';
import { POST_AUTHENTICATION_SETTINGS } from './deletedRowSettings.js';
import { POST_CONFIRMATION_SETTINGS } from './functionSettings.js';
import { RECONCILE_SETTINGS, SCHEDULED_RECONCILE_SETTINGS } from './runSettings.js';

export * from './changeSignalSettings.js';
export * from './deletedRowSettings.js';
export * from './functionSettings.js';
export * from './runSettings.js';

/** Each family's settings, by family. */
export function familySettings(): Readonly<Record<SettingFamily, SettingList>> {
  return {
    postConfirmation: POST_CONFIRMATION_SETTINGS,
    postAuthentication: POST_AUTHENTICATION_SETTINGS,
    changeSignal: CHANGE_SIGNAL_SETTINGS,
    scheduledReconcile: SCHEDULED_RECONCILE_SETTINGS,
    cli: RECONCILE_SETTINGS,
  };
}

/** Every setting once, in the order of the families. */
export function allSettings(): SettingList {
  return [...new Set(Object.values(familySettings()).flat())];
}
