import { expect } from 'chai';
import { loadSqlite } from './load-sqlite.ts';
import { SqliteDatabase } from './sqlite-database.ts';
import { SqliteError } from './sqlite-error.ts';

async function fresh(): Promise<SqliteDatabase> {
  const db = SqliteDatabase.openInMemory(await loadSqlite());
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, r REAL, b BLOB); CREATE TABLE u (id INT PRIMARY KEY, t_id TEXT)');
  return db;
}

function expectSqliteError(fn: () => unknown, pattern: RegExp): SqliteError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(SqliteError);
    expect((err as SqliteError).code).to.equal('LS_SQLITE_ERROR');
    expect((err as SqliteError).message).to.match(pattern);
    return err as SqliteError;
  }
  throw new Error('expected a SqliteError');
}

describe('SqliteDatabase', () => {
  it('runs a script one statement at a time, so later statements see earlier ones', async () => {
    const db = SqliteDatabase.openInMemory(await loadSqlite());
    db.exec(`CREATE TABLE a (x); -- comment
      INSERT INTO a VALUES (1); INSERT INTO a SELECT x + 1 FROM a; /* trailing */`);
    expect(db.all('SELECT x FROM a ORDER BY x')).to.deep.equal([{ x: 1 }, { x: 2 }]);
  });

  it('calls nothing twice: exec of an insert inserts exactly once', async () => {
    const db = await fresh();
    db.exec("INSERT INTO t (id) VALUES ('a')");
    expect(db.get('SELECT count(*) AS c FROM t')).to.deep.equal({ c: 1 });
  });

  it('round-trips every value type, including big integers and empty blobs', async () => {
    const db = await fresh();
    const big = 2n ** 62n;
    db.run('INSERT INTO t VALUES (?, ?, ?, ?)', ['x', 2 ** 40, 1.5, new Uint8Array([1, 2, 3])]);
    db.run('INSERT INTO t VALUES (?, ?, ?, ?)', ['y', big, -0.25, new Uint8Array(0)]);
    db.run('INSERT INTO t VALUES (?, ?, ?, ?)', ['z ✓ ünï', -7, null, null]);
    const rows = db.all('SELECT id, n, typeof(n) AS tn, r, b FROM t ORDER BY rowid');
    expect(rows[0]).to.deep.equal({ id: 'x', n: 2 ** 40, tn: 'integer', r: 1.5, b: new Uint8Array([1, 2, 3]) });
    expect(rows[1]).to.deep.equal({ id: 'y', n: big, tn: 'integer', r: -0.25, b: new Uint8Array(0) });
    expect(rows[2]).to.deep.equal({ id: 'z ✓ ünï', n: -7, tn: 'integer', r: null, b: null });
  });

  it('round-trips text of every length and script, on both sides of the short-ASCII fast path', async () => {
    const db = await fresh();
    const texts = ['', 'a', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(5000), 'é', `${'a'.repeat(63)}é`, '😀 surrogate pair', '\u0000nul inside', 'Ωmega', '中文'.repeat(40)];
    texts.forEach((t, i) => db.run('INSERT INTO t (id, n) VALUES (?, ?)', [t, i]));
    expect(db.all<{ id: string }>('SELECT id FROM t ORDER BY n').map((r) => r.id)).to.deep.equal(texts);
  });

  it('binds named parameters with or without their prefix', async () => {
    const db = await fresh();
    db.run('INSERT INTO t (id, n) VALUES ($id, :n)', { id: 'a', ':n': 3 });
    expect(db.get('SELECT n FROM t WHERE id = @id', { '@id': 'a' })).to.deep.equal({ n: 3 });
  });

  it('does not leak old bind values into the next use of a cached statement', async () => {
    const db = await fresh();
    db.run('INSERT INTO t (id, n) VALUES ($id, $n)', { id: 'a', n: 1 });
    db.run('INSERT INTO t (id, n) VALUES ($id, $n)', { id: 'b' });
    expect(db.get("SELECT n FROM t WHERE id = 'b'")).to.deep.equal({ n: null });
  });

  it('rejects a wrong number of bind values, undefined and objects with a clear error', async () => {
    const db = await fresh();
    expectSqliteError(() => db.run('INSERT INTO t (id) VALUES (?)', []), /1 parameter\(s\) but no bind values/);
    expectSqliteError(() => db.run('INSERT INTO t (id) VALUES (?)', ['a', 'b']), /but 2 bind value/);
    expectSqliteError(() => db.run('INSERT INTO t (id) VALUES (?)', [undefined as never]), /undefined/);
    expectSqliteError(() => db.run('INSERT INTO t (id) VALUES (?)', [{} as never]), /JSON\.stringify/);
    expectSqliteError(() => db.run('INSERT INTO t (id) VALUES ($x)', { y: 1 }), /"y" matches no parameter/);
    expect(db.all('SELECT * FROM t')).to.deep.equal([]);
  });

  it('reports SQL errors with the SQLite code and the statement', async () => {
    const db = await fresh();
    const syntax = expectSqliteError(() => db.all('SELEC nope'), /syntax error/);
    expect(syntax.details.sql).to.equal('SELEC nope');
    db.run("INSERT INTO t (id) VALUES ('a')");
    const unique = expectSqliteError(() => db.run("INSERT INTO t (id) VALUES ('a')"), /UNIQUE/);
    expect(unique.sqliteCode & 0xff).to.equal(19);
    expect(unique.details.sqliteCodeName).to.equal('SQLITE_CONSTRAINT');
  });

  it('refuses several statements in run/all/get and points to exec', async () => {
    const db = await fresh();
    expectSqliteError(() => db.run("INSERT INTO t (id) VALUES ('a'); INSERT INTO t (id) VALUES ('b')"), /use exec\(\)/);
    expect(db.all('SELECT * FROM t')).to.deep.equal([]);
    expect(() => db.run("INSERT INTO t (id) VALUES ('c');  -- done")).not.to.throw();
  });

  it('reuses prepared statements: the second run of the same SQL prepares nothing', async () => {
    const db = await fresh();
    db.run('INSERT INTO t (id) VALUES (?)', ['a']);
    const before = db.stats.prepares;
    for (let i = 0; i < 10; i++) db.run('INSERT INTO t (id) VALUES (?)', [`b${i}`]);
    expect(db.stats.prepares).to.equal(before);
  });

  it('keeps working when the statement cache evicts', async () => {
    const db = SqliteDatabase.openInMemory(await loadSqlite(), { statementCacheSize: 2 });
    db.exec('CREATE TABLE a (x)');
    for (let i = 0; i < 20; i++) db.run(`INSERT INTO a VALUES (${i % 5})`);
    expect(db.get('SELECT count(*) AS c FROM a')).to.deep.equal({ c: 20 });
  });

  it('nests savepoints: an inner failure undoes only the inner work', async () => {
    const db = await fresh();
    db.transaction(() => {
      db.run("INSERT INTO t (id) VALUES ('outer')");
      expect(() => db.savepoint(() => {
        db.run("INSERT INTO t (id) VALUES ('inner')");
        throw new Error('boom');
      })).to.throw('boom');
      db.savepoint(() => db.run("INSERT INTO t (id) VALUES ('kept')"));
    });
    expect(db.all('SELECT id FROM t ORDER BY id')).to.deep.equal([{ id: 'kept' }, { id: 'outer' }]);
    expect(db.inTransaction).to.equal(false);
  });

  it('rolls a failed transaction back entirely and refuses async callbacks', async () => {
    const db = await fresh();
    expect(() => db.transaction(() => {
      db.run("INSERT INTO t (id) VALUES ('a')");
      db.run("INSERT INTO t (id) VALUES ('a')");
    })).to.throw(SqliteError);
    expect(db.all('SELECT * FROM t')).to.deep.equal([]);
    expectSqliteError(() => db.transaction(() => Promise.resolve(1)), /synchronous/);
    expect(db.inTransaction).to.equal(false);
  });

  it('reports the tables a statement reads and writes, mapping indexes to their tables', async () => {
    const db = await fresh();
    const join = db.tablesUsed('SELECT t.id FROM t JOIN u ON u.id = t.n');
    expect([...join.read].sort()).to.deep.equal(['t', 'u']);
    expect([...join.written]).to.deep.equal([]);
    const upd = db.tablesUsed('UPDATE t SET n = (SELECT count(*) FROM u)');
    expect([...upd.written]).to.deep.equal(['t']);
    expect([...upd.read]).to.deep.equal(['u']);
  });

  it('records a changeset, inverts it and applies it to undo exactly that work', async () => {
    const db = await fresh();
    db.run("INSERT INTO t (id, n) VALUES ('keep', 1)");
    const rec = db.startSession();
    db.run("INSERT INTO t (id, n) VALUES ('new', 2)");
    db.run("UPDATE t SET n = 5 WHERE id = 'keep'");
    const cs = rec.changeset();
    rec.close();
    expect(cs).to.be.instanceOf(Uint8Array);
    db.applyChangeset(db.invertChangeset(cs!));
    expect(db.all('SELECT id, n FROM t')).to.deep.equal([{ id: 'keep', n: 1 }]);
  });

  it('returns no changeset when nothing changed', async () => {
    const db = await fresh();
    const rec = db.startSession();
    db.all('SELECT * FROM t');
    expect(rec.changeset()).to.equal(null);
    rec.close();
  });

  it('aborts a conflicting changeset without changing anything', async () => {
    const db = await fresh();
    db.run("INSERT INTO t (id, n) VALUES ('a', 1)");
    const rec = db.startSession();
    db.run("UPDATE t SET n = 2 WHERE id = 'a'");
    db.run("INSERT INTO t (id, n) VALUES ('b', 1)");
    const undo = db.invertChangeset(rec.changeset()!);
    rec.close();
    db.run("UPDATE t SET n = 9 WHERE id = 'a'");
    expectSqliteError(() => db.applyChangeset(undo), /conflict: DATA/);
    expect(db.all('SELECT id, n FROM t ORDER BY id')).to.deep.equal([{ id: 'a', n: 9 }, { id: 'b', n: 1 }]);
    db.applyChangeset(undo, 'replace');
    expect(db.all('SELECT id, n FROM t ORDER BY id')).to.deep.equal([{ id: 'a', n: 1 }]);
  });

  it('serializes and deserializes into a writable copy', async () => {
    const api = await loadSqlite();
    const a = await fresh();
    a.run("INSERT INTO t (id, n) VALUES ('a', 1)");
    const image = a.serialize();
    const b = SqliteDatabase.openInMemory(api);
    b.deserialize(image);
    b.run("INSERT INTO t (id, n) VALUES ('b', 2)");
    for (let i = 0; i < 2000; i++) b.run('INSERT INTO u (id) VALUES (?)', [i]);
    expect(b.all('SELECT id FROM t ORDER BY id')).to.deep.equal([{ id: 'a' }, { id: 'b' }]);
    expect(a.all('SELECT id FROM t')).to.deep.equal([{ id: 'a' }]);
  });

  it('does not grow wasm memory when serializing repeatedly (the copy is freed)', async () => {
    const db = await fresh();
    const blob = new Uint8Array(256 * 1024);
    for (let i = 0; i < 8; i++) db.run('INSERT INTO t (id, b) VALUES (?, ?)', [`k${i}`, blob]);
    for (let i = 0; i < 5; i++) db.serialize();
    const heap = db.module.HEAPU8.byteLength;
    for (let i = 0; i < 40; i++) db.serialize();
    expect(db.module.HEAPU8.byteLength).to.equal(heap);
  });

  it('rejects a damaged image with a clear error', async () => {
    const db = await fresh();
    db.run("INSERT INTO t (id) VALUES ('a')");
    const junk = new Uint8Array(4096).fill(7);
    expect(() => db.deserialize(junk)).to.throw(SqliteError);
  });

  it('throws a clear error on use after close', async () => {
    const db = await fresh();
    db.close();
    expectSqliteError(() => db.all('SELECT 1'), /is closed/);
  });
});
