/**
 * The base of printed links and QR codes (server/config.ts `linkBase`): an address the server
 * answers on. With HOST one address, that address; on every interface, the LAN address; PUBLIC_URL wins.
 */
import { describe, expect, it } from 'vitest';
import { firstLanAddress, linkBase } from '../server/config.ts';

const lan = () => '192.0.2.7';
const base = (host: string, publicUrl: string | null = null, scheme: 'http' | 'https' = 'http') =>
  linkBase({ publicUrl, host, scheme, port: 3000 }, lan);

describe('linkBase', () => {
  it('names the one address the server listens on', () => {
    expect(base('127.0.0.1')).toBe('http://127.0.0.1:3000');
    expect(base('192.168.1.20')).toBe('http://192.168.1.20:3000');
    expect(base('localhost')).toBe('http://localhost:3000');
    expect(base('tribune.lan', null, 'https')).toBe('https://tribune.lan:3000');
  });

  it('puts an IPv6 address in brackets', () => {
    expect(base('::1')).toBe('http://[::1]:3000');
    expect(base('[fd00::2]')).toBe('http://[fd00::2]:3000');
  });

  it('names the LAN address when listening on every interface', () => {
    for (const any of ['0.0.0.0', '::', '[::]', '']) expect(base(any), any).toBe('http://192.0.2.7:3000');
  });

  it('uses PUBLIC_URL whatever HOST is, without a trailing slash', () => {
    expect(base('127.0.0.1', 'https://tribune.example/')).toBe('https://tribune.example');
    expect(base('0.0.0.0', 'http://10.0.0.5:8080')).toBe('http://10.0.0.5:8080');
  });

  it('finds the first external IPv4 address, else loopback', () => {
    const ifaces = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [
        { address: 'fd00::2', family: 'IPv6', internal: false },
        { address: '192.0.2.2', family: 'IPv4', internal: false },
      ],
    } as unknown as NodeJS.Dict<import('node:os').NetworkInterfaceInfo[]>;
    expect(firstLanAddress(ifaces)).toBe('192.0.2.2');
    expect(firstLanAddress({ lo: ifaces.lo })).toBe('127.0.0.1');
  });
});
