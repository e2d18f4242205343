import type { Translator } from '../i18n/i18n';
import { h } from './dom';

export interface DeviceChoice {
  displayName?: string;
  /** false: join without it; true: the default device; a string: that device. */
  audio: boolean | string;
  video: boolean | string;
}

/**
 * The welcome screen: a name (fixed when the link names one) and the camera and
 * microphone to join with; a webinar viewer only gives a name.
 */
export async function welcomeScreen(
  root: HTMLElement,
  t: Translator,
  options: { displayName?: string; displayNameFixed: boolean; withDevices: boolean },
): Promise<DeviceChoice> {
  const name = h('input', {
    name: 'displayName',
    value: options.displayName ?? '',
    readOnly: options.displayNameFixed,
    maxLength: 128,
    placeholder: t.t('yourName'),
    'aria-label': t.t('yourName'),
  });
  const camera = h('select', { name: 'camera', 'aria-label': t.t('camera') });
  const microphone = h('select', { name: 'microphone', 'aria-label': t.t('microphone') });
  const preview = h('video', { class: 'preview', autoplay: true, muted: true, playsInline: true });
  const join = h('button', { type: 'submit', class: 'primary', 'data-testid': 'join' }, t.t('join'));
  const form = h(
    'form',
    { class: 'welcome', 'data-testid': 'welcome' },
    h('h1', {}, t.t('title')),
    h('label', {}, t.t('yourName'), name),
    options.withDevices && preview,
    options.withDevices && h('label', {}, t.t('camera'), camera),
    options.withDevices && h('label', {}, t.t('microphone'), microphone),
    join,
  );
  // Listen before anything async: a click on Join must never submit the form natively
  // (that would navigate away from the room link).
  let previewStream: MediaStream | null = null;
  let ready = !options.withDevices;
  const chosen = new Promise<DeviceChoice>((resolve) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!ready) return;
      join.disabled = true;
      join.textContent = t.t('joining');
      previewStream?.getTracks().forEach((track) => track.stop());
      const pick = (select: HTMLSelectElement): boolean | string =>
        !options.withDevices || select.value === 'none' ? false : select.value || true;
      const displayName = name.value.trim();
      resolve({
        ...(displayName ? { displayName } : {}),
        audio: pick(microphone),
        video: pick(camera),
      });
    });
  });
  root.replaceChildren(form);

  if (options.withDevices) {
    join.disabled = true;
    // Labels of devices are only readable once the person allowed access.
    previewStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true }).catch(() => null);
    preview.srcObject = previewStream;
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    for (const [select, kind] of [
      [camera, 'videoinput'],
      [microphone, 'audioinput'],
    ] as const) {
      const options = devices
        .filter((d) => d.kind === kind)
        .map((d, i) => h('option', { value: d.deviceId }, d.label || `${kind} ${i + 1}`));
      select.replaceChildren(...options, h('option', { value: 'none' }, t.t('noDevice')));
    }
    ready = true;
    join.disabled = false;
  }
  return chosen;
}
