import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allowNavigation, appPage, grantPermissionCheck, grantPermissionRequest, isOwnPage, type AppPage } from '../../../src/main/policy';

const INDEX = '/opt/backdrop/out/renderer/index.html';
const FILE_PAGE: AppPage = { kind: 'file', path: INDEX };
const OWN = pathToFileURL(INDEX).href;
const DEV_PAGE: AppPage = { kind: 'dev', origin: 'http://localhost:5173' };

describe('which page is ours', () => {
  it('is the exact index.html when built, whatever the query or hash', () => {
    expect(isOwnPage(OWN, FILE_PAGE)).toBe(true);
    expect(isOwnPage(`${OWN}?x=1#y`, FILE_PAGE)).toBe(true);
  });

  it('is not another file, even next door', () => {
    expect(isOwnPage(pathToFileURL('/opt/backdrop/out/renderer/other.html').href, FILE_PAGE)).toBe(false);
    expect(isOwnPage('file:///etc/passwd', FILE_PAGE)).toBe(false);
  });

  it('is not a web page or garbage', () => {
    expect(isOwnPage('https://example.com/', FILE_PAGE)).toBe(false);
    expect(isOwnPage('not a url', FILE_PAGE)).toBe(false);
    expect(isOwnPage(undefined, FILE_PAGE)).toBe(false);
  });

  it('is the dev server origin while developing', () => {
    expect(isOwnPage('http://localhost:5173/index.html', DEV_PAGE)).toBe(true);
    expect(isOwnPage('http://localhost:5174/', DEV_PAGE)).toBe(false);
  });

  it('accepts only a loopback dev server', () => {
    expect(appPage('http://localhost:5173', INDEX)).toEqual(DEV_PAGE);
    expect(appPage(undefined, INDEX)).toEqual(FILE_PAGE);
    expect(() => appPage('http://192.168.1.5:5173', INDEX)).toThrow(/loopback/);
    expect(() => appPage('https://evil.example', INDEX)).toThrow(/loopback/);
  });
});

describe('permissions', () => {
  it('grants the camera to our page', () => {
    expect(grantPermissionRequest('media', OWN, FILE_PAGE, ['video'])).toBe(true);
  });

  it('refuses the microphone, which the app never uses', () => {
    expect(grantPermissionRequest('media', OWN, FILE_PAGE, ['video', 'audio'])).toBe(false);
    expect(grantPermissionRequest('media', OWN, FILE_PAGE, ['audio'])).toBe(false);
    expect(grantPermissionRequest('media', OWN, FILE_PAGE, undefined)).toBe(false);
  });

  it('refuses media to any other page', () => {
    expect(grantPermissionRequest('media', 'https://example.com/', FILE_PAGE, ['video'])).toBe(false);
  });

  it('refuses every other permission, even to our page', () => {
    for (const p of ['geolocation', 'notifications', 'display-capture', 'openExternal', 'clipboard-read']) {
      expect(grantPermissionRequest(p, OWN, FILE_PAGE, ['video'])).toBe(false);
      expect(grantPermissionCheck(p, OWN, FILE_PAGE, 'video')).toBe(false);
    }
  });

  it('passes synchronous media checks for our page, video or unspecified', () => {
    expect(grantPermissionCheck('media', OWN, FILE_PAGE, 'video')).toBe(true);
    expect(grantPermissionCheck('media', OWN, FILE_PAGE, 'unknown')).toBe(true);
    expect(grantPermissionCheck('media', OWN, FILE_PAGE, 'audio')).toBe(false);
    expect(grantPermissionCheck('media', 'https://example.com/', FILE_PAGE, 'video')).toBe(false);
  });
});

describe('navigation', () => {
  it('stays on our page', () => {
    expect(allowNavigation(OWN, FILE_PAGE)).toBe(true);
    expect(allowNavigation('https://example.com/', FILE_PAGE)).toBe(false);
    expect(allowNavigation(pathToFileURL('/home/me/dropped.png').href, FILE_PAGE)).toBe(false);
  });
});
