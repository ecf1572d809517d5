// @ts-check
/**
 * The background: Chrome runs it as a module service worker, Firefox as a module background
 * script. It registers the one message listener synchronously (a message that wakes a stopped
 * service worker must find it), and starts loading the core before anything else
 * (`start.js`, its first import).
 */
import './start.js';
import { alarms, contextMenu, i18n, onCommand, onFirstInstall, onMessage, openExtensionTab } from '../shared/ext.js';
import { onAlarm, startAliases } from './aliases.js';
import { MENU_FILL_NEW, onFormsCommand, onFormsMenuClick } from './forms.js';
import { route } from './router.js';
import { listenForSync, startSync } from './sync.js';

/** The page a fresh install opens; the popup links to it too. */
const WELCOME_PAGE = 'ui/welcome.html';

onMessage(route);
alarms.onAlarm(onAlarm);
// storage.sync changes (another device's aliases arriving, issue #25).
listenForSync();
// The forms' context-menu entry and keyboard command (user gestures in the browser's UI).
contextMenu.createOnInstall(MENU_FILL_NEW, i18n('formsMenuFillNew'));
contextMenu.onClick(onFormsMenuClick);
onCommand(onFormsCommand);
// A fresh install opens the welcome page (not an update: the user has seen it).
onFirstInstall(() => void openExtensionTab(WELCOME_PAGE).catch(() => {}));

// Finish writes a stopped worker left in the journals, and re-arm the expiry alarm.
// Then pull what other devices synced while the browser was closed.
startAliases()
  .then(startSync)
  .catch(() => {});
