import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { metricsNamespace } from '../manifests/names';
import { namedTags, stackPrefix } from './common';

export type AlarmsArgs = {
  stack: StackConfig;
  alarmTopicArn: pulumi.Input<string>;
  /** The node group's Auto Scaling group. */
  nodeGroupAsgName: pulumi.Input<string>;
  dbIdentifier: string;
  /** `app/<name>/<id>` of the ALB, once the workloads (and so the Ingress) exist. */
  loadBalancerArnSuffix?: pulumi.Input<string>;
};

/**
 * What an on-call person looks at: alarms on the public edge (p95 response time
 * and 5xx rate at the ALB, thresholds from StackConfig.alarms, matching the
 * app's own default rules) and on node CPU, all notifying the alarm topic, and a
 * dashboard with the ALB, the inference service's EMF metrics, nodes and database.
 */
export class Alarms extends pulumi.ComponentResource {
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:Alarms', name, {}, opts);
    const { stack } = args;
    const prefix = stackPrefix(stack);
    const parent = { parent: this };
    const notify = { alarmActions: [args.alarmTopicArn], okActions: [args.alarmTopicArn] };
    const window = { period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'notBreaching' };

    new aws.cloudwatch.MetricAlarm(`${prefix}-node-cpu`, {
      name: `${prefix}-node-cpu`, alarmDescription: `EKS nodes above ${stack.alarms.nodeCpuPercent}% CPU for 15 minutes: pods may not fit; check the autoscaler and StackConfig.eks.maxNodes`,
      namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: { AutoScalingGroupName: args.nodeGroupAsgName }, statistic: 'Average',
      comparisonOperator: 'GreaterThanThreshold', threshold: stack.alarms.nodeCpuPercent, ...window, ...notify, tags: namedTags(stack, 'node-cpu'),
    }, parent);

    if (args.loadBalancerArnSuffix) {
      const lb = { LoadBalancer: args.loadBalancerArnSuffix };
      new aws.cloudwatch.MetricAlarm(`${prefix}-p95-latency`, {
        name: `${prefix}-p95-latency`, alarmDescription: `p95 response time at the load balancer above ${stack.alarms.p95LatencyMs} ms for 15 minutes`,
        namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: lb, extendedStatistic: 'p95',
        comparisonOperator: 'GreaterThanThreshold', threshold: stack.alarms.p95LatencyMs / 1000, ...window, ...notify, tags: namedTags(stack, 'p95-latency'),
      }, parent);
      const count = (id: string, metricName: string) => ({ id, returnData: false, metric: { namespace: 'AWS/ApplicationELB', metricName, dimensions: lb, period: 300, stat: 'Sum' } });
      new aws.cloudwatch.MetricAlarm(`${prefix}-5xx-rate`, {
        name: `${prefix}-5xx-rate`, alarmDescription: `More than ${stack.alarms.errorRatePercent}% of requests answered 5xx (targets or the load balancer) for 15 minutes`,
        comparisonOperator: 'GreaterThanThreshold', threshold: stack.alarms.errorRatePercent, evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'notBreaching',
        metricQueries: [
          count('targets', 'HTTPCode_Target_5XX_Count'), count('edge', 'HTTPCode_ELB_5XX_Count'), count('requests', 'RequestCount'),
          { id: 'rate', label: '5xx %', returnData: true, expression: 'IF(requests > 0, 100 * (FILL(targets, 0) + FILL(edge, 0)) / requests, 0)' },
        ],
        ...notify, tags: namedTags(stack, '5xx-rate'),
      }, parent);
    }

    const region = stack.region;
    const namespace = metricsNamespace(stack);
    const body = pulumi.all([args.loadBalancerArnSuffix ?? '', args.nodeGroupAsgName]).apply(([lb, asg]) => {
      const widget = (title: string, metrics: unknown[][], extra: Record<string, unknown> = {}) => ({ type: 'metric', width: 12, height: 6, properties: { title, region, metrics, view: 'timeSeries', period: 300, ...extra } });
      const albWidgets = lb ? [
        widget('Load balancer: requests and 5xx', [['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', lb, { stat: 'Sum' }], ['.', 'HTTPCode_Target_5XX_Count', '.', '.', { stat: 'Sum' }], ['.', 'HTTPCode_ELB_5XX_Count', '.', '.', { stat: 'Sum' }]]),
        widget('Load balancer: response time (s)', [['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', lb, { stat: 'p50' }], ['...', { stat: 'p95' }], ['...', { stat: 'p99' }]], {
          annotations: { horizontal: [{ label: 'p95 objective', value: stack.alarms.p95LatencyMs / 1000 }] },
        }),
      ] : [];
      return JSON.stringify({
        widgets: [
          ...albWidgets,
          widget('Predictions: requests and errors (production)', [[namespace, 'Requests', 'Deployment', 'production', { stat: 'Sum' }], ['.', 'Errors', '.', '.', { stat: 'Sum' }]]),
          widget('Predictions: latency (ms, production)', [[namespace, 'Latency', 'Deployment', 'production', { stat: 'p50' }], ['...', { stat: 'p95' }]]),
          widget('EKS nodes: CPU %', [['AWS/EC2', 'CPUUtilization', 'AutoScalingGroupName', asg, { stat: 'Average' }], ['...', { stat: 'Maximum' }]]),
          widget('Database: CPU % and connections', [['AWS/RDS', 'CPUUtilization', 'DBInstanceIdentifier', args.dbIdentifier], ['.', 'DatabaseConnections', '.', '.', { yAxis: 'right' }]]),
        ],
      });
    });
    const dashboard = new aws.cloudwatch.Dashboard(`${prefix}-dashboard`, { dashboardName: prefix, dashboardBody: body }, parent);
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}
