// @ts-check
/**
 * The background: Chrome runs it as a module service worker, Firefox as a module background
 * script. It registers the one message listener synchronously (a message that wakes a stopped
 * service worker must find it), and starts loading the core right away.
 */
import { alarms, onMessage } from '../shared/ext.js';
import { onAlarm, startAliases } from './aliases.js';
import { core } from './core.js';
import { route } from './router.js';

onMessage(route);
alarms.onAlarm(onAlarm);

// Warm the core so that the first verdict does not pay for compilation. A failure here is
// reported by the first call that needs the core.
core().catch(() => {});
// Finish writes a stopped worker left in the journals, and re-arm the expiry alarm.
startAliases().catch(() => {});
