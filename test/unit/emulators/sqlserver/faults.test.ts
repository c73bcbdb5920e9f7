import { Faults, applyFaultSpec } from '../../../../emulators/sqlserver/faults';

describe('fault switches', () => {
  it('fail the next matching requests, count by count, with a deadlock unless told otherwise', () => {
    const faults = new Faults();
    const fault = faults.failNext({ match: 'orders', count: 2 });
    expect(faults.takeFailure('SELECT 1')).toBeUndefined();
    expect(fault.failed).toBe(0);
    expect(faults.takeFailure('SELECT * FROM orders')).toMatchObject({ number: 1205, state: 51, class: 13 });
    expect(fault.failed).toBe(1);
    expect(faults.takeFailure('SELECT * FROM orders')?.number).toBe(1205);
    expect(faults.takeFailure('SELECT * FROM orders')).toBeUndefined();
    expect(fault.failed).toBe(2);
  });

  it('drop after rows, once by default', () => {
    const faults = new Faults();
    faults.dropConnectionAfterRows({ match: /FROM \[dbo\]/, rows: 10 });
    expect(faults.takeDrop('SELECT 1')).toBeUndefined();
    expect(faults.takeDrop('SELECT * FROM [dbo].[t]')).toBe(10);
    expect(faults.takeDrop('SELECT * FROM [dbo].[t]')).toBeUndefined();
  });

  it('refuse logins by count or for a while; clear() ends everything', () => {
    const faults = new Faults();
    faults.refuseLogins({ count: 1 });
    expect([faults.takeRefusal(), faults.takeRefusal()]).toEqual([true, false]);
    faults.refuseLogins({ forMs: 60_000 });
    expect([faults.takeRefusal(), faults.takeRefusal()]).toEqual([true, true]);
    faults.setLatency(50);
    faults.clear();
    expect([faults.takeRefusal(), faults.latencyMs]).toEqual([false, 0]);
  });

  it('read the --fault syntax of the command line', () => {
    const faults = new Faults();
    applyFaultSpec(faults, 'drop:rows=500,match=ORDERS,times=2');
    applyFaultSpec(faults, 'fail:match=orders,count=3,error=40613');
    applyFaultSpec(faults, 'latency:ms=200');
    expect(faults.takeDrop('select * from orders')).toBe(500);
    expect(faults.takeFailure('select * from orders')).toMatchObject({ number: 40613 });
    expect(faults.latencyMs).toBe(200);
    expect(() => applyFaultSpec(faults, 'explode:now=1')).toThrow(/unknown fault "explode"/);
    expect(() => applyFaultSpec(faults, 'drop:match=x')).toThrow(/rows= is required/);
  });
});
