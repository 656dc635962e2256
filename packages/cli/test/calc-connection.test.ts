import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import {
  type AddRequest,
  type AddResponse,
  CalcService,
  type MaxRequest,
  type MaxResponse,
  type NthPrimesRequest,
  type NthPrimesResponse,
} from '@twelvefa/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAddress } from '../src/address.js';
import { CalcConnection } from '../src/calc-connection.js';
import { ConnectError, RequestCancelledError } from '../src/connection-errors.js';
import { describeFailure } from '../src/failure.js';
import { TestCertificates } from './support/certificates.js';

/**
 * A stand-in calc.Calc server for what the real one cannot do here: serve
 * TLS, and hold a call open until the client cancels it.
 */
class StubServer {
  readonly cancelled: string[] = [];
  private readonly server = new Server();
  port = 0;

  constructor() {
    this.server.addService(CalcService, {
      add: (call: ServerUnaryCall<AddRequest, AddResponse>, done: sendUnaryData<AddResponse>) =>
        done(null, { sum: call.request.a + call.request.b }),
      max: (_call: ServerUnaryCall<MaxRequest, MaxResponse>, done: sendUnaryData<MaxResponse>) =>
        done({ code: status.UNIMPLEMENTED, details: 'not in this stub' }),
      nthPrimes: (call: ServerUnaryCall<NthPrimesRequest, NthPrimesResponse>) => {
        call.on('cancelled', () => this.cancelled.push('NthPrimes'));
      },
    });
  }

  async start(credentials: ServerCredentials): Promise<this> {
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', credentials, (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    return this;
  }

  close(): void {
    this.server.forceShutdown();
  }
}

describe('CalcConnection', () => {
  let certificates: TestCertificates;
  let cert: Buffer;
  let serverKey: Buffer;
  let plaintext: StubServer;
  let tls: StubServer;

  beforeAll(async () => {
    certificates = new TestCertificates();
    const server = certificates.selfSigned('server', 'localhost');
    cert = server.cert;
    serverKey = server.key;
    plaintext = await new StubServer().start(ServerCredentials.createInsecure());
    tls = await new StubServer().start(
      ServerCredentials.createSsl(null, [{ private_key: serverKey, cert_chain: cert }]),
    );
  });

  afterAll(() => {
    plaintext?.close();
    tls?.close();
    certificates?.close();
  });

  const options = (port: number, secure: boolean, ca?: Buffer) => ({
    address: parseAddress(`127.0.0.1:${port}`),
    tls: secure,
    connectTimeoutMs: 1000,
    ...(ca ? { ca } : {}),
  });

  describe('when a request is cancelled', () => {
    it('cancels the call on the server and rejects with RequestCancelledError', async () => {
      const connection = await CalcConnection.open(options(plaintext.port, false));
      try {
        const controller = new AbortController();
        const pending = connection.calculate({ kind: 'np', n: [5n] }, controller.signal);
        setTimeout(() => controller.abort(), 100);
        await expect(pending).rejects.toBeInstanceOf(RequestCancelledError);
        await expect.poll(() => plaintext.cancelled).toEqual(['NthPrimes']);
      } finally {
        connection.close();
        connection.close();
      }
    });

    it('does not send a call whose signal is already aborted', async () => {
      const connection = await CalcConnection.open(options(plaintext.port, false));
      try {
        const controller = new AbortController();
        controller.abort();
        await expect(
          connection.calculate({ kind: 'add', a: 1n, b: 2n }, controller.signal),
        ).rejects.toBeInstanceOf(RequestCancelledError);
      } finally {
        connection.close();
      }
    });

    it('passes a server error through as its status', async () => {
      const connection = await CalcConnection.open(options(plaintext.port, false));
      try {
        const failed = await connection
          .calculate({ kind: 'max', a: 1n, b: 2n })
          .catch((error: unknown) => error);
        expect(describeFailure(failed)).toMatchObject({
          code: 'UNIMPLEMENTED',
          message: 'UNIMPLEMENTED: not in this stub',
          exitCode: 76,
        });
      } finally {
        connection.close();
      }
    });
  });

  describe('when the server speaks TLS', () => {
    it('connects with --tls and the CA that signed the certificate', async () => {
      const connection = await CalcConnection.open(options(tls.port, true, cert));
      try {
        await expect(connection.calculate({ kind: 'add', a: 2n, b: 5n })).resolves.toEqual({
          kind: 'add',
          a: 2n,
          b: 5n,
          sum: 7n,
        });
      } finally {
        connection.close();
      }
    });

    it('hints to add --tls when calcli used plaintext, at the first failed attempt', async () => {
      await expect(CalcConnection.open(options(tls.port, false))).rejects.toThrow(
        new ConnectError(
          `cannot connect to 127.0.0.1:${tls.port}: the server speaks TLS but calcli used plaintext; add --tls (and --ca FILE for a private CA)`,
        ),
      );
    });

    it('hints to pass --ca when the certificate is not trusted', async () => {
      await expect(CalcConnection.open(options(tls.port, true))).rejects.toThrow(
        /^cannot connect to 127\.0\.0\.1:\d+: the server's TLS certificate is not trusted \(.+\); pass --ca FILE with the CA that signed it$/,
      );
    });
  });

  describe('against a server without WatchNthPrimes (the three methods only)', () => {
    it('falls back to NthPrimes for np with a progress listener, and remembers it', async () => {
      const server = new Server();
      let unaryCalls = 0;
      // Only the three methods of the original contract: WatchNthPrimes is UNIMPLEMENTED.
      const { max, add, nthPrimes } = CalcService;
      server.addService(
        { max, add, nthPrimes },
        {
          max: (
            _call: ServerUnaryCall<MaxRequest, MaxResponse>,
            done: sendUnaryData<MaxResponse>,
          ) => done(null, { max: 0n }),
          add: (
            _call: ServerUnaryCall<AddRequest, AddResponse>,
            done: sendUnaryData<AddResponse>,
          ) => done(null, { sum: 0n }),
          nthPrimes: (
            call: ServerUnaryCall<NthPrimesRequest, NthPrimesResponse>,
            done: sendUnaryData<NthPrimesResponse>,
          ) => {
            unaryCalls += 1;
            done(null, { nthPrimes: call.request.n.map((n) => (n === 1n ? 2n : 3n)) });
          },
        },
      );
      const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
          error ? reject(error) : resolve(bound),
        ),
      );
      const connection = await CalcConnection.open(options(port, false));
      const progress: unknown[] = [];
      try {
        for (let round = 0; round < 2; round++) {
          await expect(
            connection.calculate({ kind: 'np', n: [1n, 2n] }, undefined, (parts) =>
              progress.push(parts),
            ),
          ).resolves.toEqual({ kind: 'np', n: [1n, 2n], nthPrimes: [2n, 3n] });
        }
        expect(unaryCalls).toBe(2);
        expect(progress).toEqual([]);
      } finally {
        connection.close();
        server.forceShutdown();
      }
    });
  });

  describe('with the TLS options of grpcurl', () => {
    it('--insecure: connects to a server whose certificate it cannot check', async () => {
      const connection = await CalcConnection.open({ ...options(tls.port, true), insecure: true });
      try {
        await expect(connection.calculate({ kind: 'add', a: 2n, b: 5n })).resolves.toMatchObject({
          sum: 7n,
        });
      } finally {
        connection.close();
      }
    });

    it('--authority: checks the certificate against the name given, not the address', async () => {
      const named = certificates.selfSigned('named', 'calc.internal', 'DNS:calc.internal');
      const server = await new StubServer().start(
        ServerCredentials.createSsl(null, [{ private_key: named.key, cert_chain: named.cert }]),
      );
      try {
        await expect(
          CalcConnection.open(options(server.port, true, named.cert)),
        ).rejects.toBeInstanceOf(ConnectError);
        const connection = await CalcConnection.open({
          ...options(server.port, true, named.cert),
          authority: 'calc.internal',
        });
        try {
          await expect(connection.calculate({ kind: 'add', a: 1n, b: 1n })).resolves.toMatchObject({
            sum: 2n,
          });
        } finally {
          connection.close();
        }
      } finally {
        server.close();
      }
    });

    it('--cert and --key: a server that requires a client certificate admits only with one', async () => {
      const client = certificates.selfSigned('client', 'calcli', 'DNS:calcli');
      const server = await new StubServer().start(
        ServerCredentials.createSsl(
          client.cert,
          [{ private_key: serverKey, cert_chain: cert }],
          true,
        ),
      );
      try {
        await expect(CalcConnection.open(options(server.port, true, cert))).rejects.toBeInstanceOf(
          ConnectError,
        );
        const connection = await CalcConnection.open({
          ...options(server.port, true, cert),
          clientCertificate: client,
        });
        try {
          await expect(connection.calculate({ kind: 'add', a: 3n, b: 4n })).resolves.toMatchObject({
            sum: 7n,
          });
        } finally {
          connection.close();
        }
      } finally {
        server.close();
      }
    });
  });

  describe('when the server speaks plaintext', () => {
    it('hints to drop --tls', async () => {
      await expect(CalcConnection.open(options(plaintext.port, true, cert))).rejects.toThrow(
        new ConnectError(
          `cannot connect to 127.0.0.1:${plaintext.port}: the server does not speak TLS (plaintext?); drop --tls`,
        ),
      );
    });
  });
});
