import './styles.css';
import { BridgeHost } from './bridge/bridge-host';
import { CallPage } from './call/call-page';
import { pickLocale, Translator } from './i18n/i18n';
import { parseRoomLink, RoomLink, RoomLinkError } from './room-link/url-attributes';
import { CallView } from './ui/call-view';
import { welcomeScreen } from './ui/welcome-screen';

/** The /call/ and /webinar/ pages: read the link, greet, join, and hand over to the call view. */
async function main(root: HTMLElement): Promise<void> {
  let link: RoomLink;
  try {
    link = parseRoomLink(window.location.href);
  } catch (error) {
    const t = new Translator(pickLocale(undefined, navigator.languages));
    root.replaceChildren(Object.assign(document.createElement('p'), { textContent: t.t('noRoom') }));
    root.dataset.phase = 'refused';
    if (!(error instanceof RoomLinkError)) throw error;
    return;
  }
  if (link.ignoredJwtOnly.length)
    console.warn(
      `only a participant token can set ${link.ignoredJwtOnly.join(', ')}; the link's value is ignored`,
    );
  if (link.problems.length) console.warn(`unreadable room link attributes: ${link.problems.join(', ')}`);

  const t = new Translator(pickLocale(link.page.lang, navigator.languages));
  document.documentElement.lang = t.locale;
  document.title = link.face === 'webinar' ? t.t('webinarTitle') : t.t('title');
  const call = new CallPage(link, t, window.location.origin);
  const view = new CallView(root, call);
  const bridge = new BridgeHost(call, view);
  bridge.listen();
  window.addEventListener('pagehide', () => call.leaveOnUnload());
  // For diagnostics (and the browser tests): the live call, read-only by convention.
  Object.assign(window, { conferCall: call });

  // The integrator builds its bridge on the iframe's load event: announce after it.
  await loaded();
  bridge.emit('ready');
  // A webinar viewer by default: it only watches, so it picks no devices.
  const withDevices = link.face === 'call' || link.join.itisparticipant === true || !!link.join.token;
  if (link.page.nameScreenDisabled) {
    // Embedded, the integrator calls the bridge's join with the devices it wants; alone, join at once.
    bridge.emit('readyToJoin');
    if (!bridge.embedded) await call.join({ audio: withDevices, video: withDevices });
    // Browsers allow fullscreen only after a gesture; where they refuse, the button stays.
    if (link.page.startWithFS) void view.setFullscreen(true);
    return;
  }
  const choice = await welcomeScreen(root, t, {
    displayName: link.join.displayName,
    displayNameFixed: link.page.displayNameFixed,
    withDevices,
  });
  if (link.page.startWithFS) void view.setFullscreen(true);
  bridge.emit('readyToJoin');
  await call.join(choice);
}

function loaded(): Promise<void> {
  return new Promise((resolve) => {
    const later = () => setTimeout(resolve, 0);
    if (document.readyState === 'complete') later();
    else window.addEventListener('load', later, { once: true });
  });
}

const root = document.getElementById('app');
if (root) void main(root);
