import { describe, expect, it } from 'vitest';
import { accessModesString, layoutContainerCells, listWithMore, loadBalancerIngress, printBoolPtr, quantityString } from './cells.ts';

describe('cells', () => {
  it.each<[string, string]>([
    [layoutContainerCells([{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis:7' }]).join(' '), 'a,b nginx,redis:7'],
    [layoutContainerCells(undefined).join('|'), '|'],
    [printBoolPtr(true), 'True'],
    [printBoolPtr(false), 'False'],
    [printBoolPtr(undefined), '<unset>'],
    [listWithMore([], false, 0, 3), '<unset>'],
    [listWithMore(['a', 'b', 'c'], true, 5, 3), 'a,b,c + 2 more...'],
    [quantityString('1.5Gi'), '1536Mi'],
    [quantityString('0.5'), '500m'],
    [quantityString('10Gi'), '10Gi'],
    [quantityString(undefined), '0'],
    [quantityString(undefined, '<nil>'), '<nil>'],
    [quantityString('not-a-quantity'), 'not-a-quantity'],
    [accessModesString(['ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteOnce']), 'RWO,ROX,RWOP'],
    [accessModesString([]), ''],
    [loadBalancerIngress([{ hostname: 'b.example' }, { ip: '10.0.0.2' }, { ip: '10.0.0.2', hostname: 'x' }, { hostname: 'a.example' }]), '10.0.0.2,a.example,b.example'],
    [loadBalancerIngress(undefined), ''],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});
