import { ofType, violation, type Policy } from './types';

export const rdsEncryptedPrivateBackedUp: Policy = {
  name: 'rds-encrypted-private-backed-up',
  description: 'Every RDS instance is encrypted with a customer-managed key, not publicly accessible, and keeps automated backups.',
  check: (resources) => ofType(resources, 'aws:rds/instance:Instance').flatMap((r) => {
    const found = [];
    if (r.inputs.storageEncrypted !== true || !r.inputs.kmsKeyId) found.push(violation(rdsEncryptedPrivateBackedUp.name, r, 'storage is not encrypted with a customer-managed KMS key'));
    if (r.inputs.publiclyAccessible !== false) found.push(violation(rdsEncryptedPrivateBackedUp.name, r, 'publiclyAccessible is not false'));
    if (!(Number(r.inputs.backupRetentionPeriod) >= 1)) found.push(violation(rdsEncryptedPrivateBackedUp.name, r, 'automated backups are off (backupRetentionPeriod < 1)'));
    return found;
  }),
};
