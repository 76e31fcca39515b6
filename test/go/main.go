// The reference app of demo/app.ts, written in Go against the module of `npx projen package:go`
// (dist/go/cdkdataprotection, by the replace directive of go.mod). Mirror demo/app.ts exactly (same
// stacks, construct ids and props): test/python/test_jvm_go.py requires each stack to equal its
// TypeScript twin.
//
// Usage: go run . OUTDIR
package main

import (
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	cdp "github.com/cdk-data-protection/cdk-data-protection-go/cdkdataprotection"
)

const ingestRoleArn = "arn:aws:iam::333333333333:role/ingest"

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(os.Args[1])})
	producerEnv := &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")}
	consumerEnv := &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("eu-west-1")}

	// Producer, account 111111111111.
	producer := awscdk.NewStack(app, jsii.String("DataProducer"), &awscdk.StackProps{Env: producerEnv})
	key := cdp.NewCrossAccountSharedKey(producer, jsii.String("ExchangeKey"), &cdp.CrossAccountSharedKeyProps{
		Alias:       jsii.String("alias/partner-exchange"),
		Description: jsii.String("Encrypts the partner exchange bucket"),
	})
	exchange := cdp.NewEncryptedBucket(producer, jsii.String("Exchange"), &cdp.EncryptedBucketProps{
		EncryptionKey:     key.Key(),
		MinimumTlsVersion: cdp.TlsVersion_TLS_1_2,
	})
	exchange.ShareWith(cdp.Partner_Account(consumerEnv.Account), cdp.AccessLevel_READ, nil)
	exchange.ShareWith(cdp.Partner_Principals(jsii.Strings(ingestRoleArn)), cdp.AccessLevel_WRITE, &cdp.ShareOptions{Prefix: jsii.String("incoming/")})

	vpc := awsec2.NewVpc(producer, jsii.String("Vpc"), &awsec2.VpcProps{
		MaxAzs:      jsii.Number(2),
		NatGateways: jsii.Number(0),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String("private"), SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED},
		},
	})
	// The platform team's own choice, acknowledged with its reason, and written into the template.
	for _, pack := range []string{"NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"} {
		awscdk.Validations_Of(vpc).Acknowledge(&awscdk.Acknowledgment{
			Id:     jsii.String(pack + "-VPCDefaultSecurityGroupClosed"),
			Reason: jsii.String("Nothing in this VPC uses its default security group; the KMS endpoint has its own, admitting HTTPS from the VPC only."),
		})
	}
	cdp.TemplateAcknowledgements_Write(vpc)
	vpc.AddFlowLog(jsii.String("FlowLogs"), &awsec2.FlowLogOptions{
		Destination: awsec2.FlowLogDestination_ToS3(exchange.AccessLogsBucket(), jsii.String("vpc-flow-logs/"), nil),
	})
	cdp.NewVpcEndpointAccess(producer, jsii.String("Endpoints"), &cdp.VpcEndpointAccessProps{
		Vpc:               vpc,
		Buckets:           &[]awss3.IBucket{exchange.Bucket()},
		AdministratorArns: jsii.Strings("arn:aws:iam::111111111111:role/DataPlatformAdmin"),
	})

	// Key-safety notifications, the KMS request-quota alarm and a dashboard for the shared key. The
	// organization's trail logs management events, so this app creates none.
	monitoring := cdp.NewKeyMonitoring(producer, jsii.String("KeyMonitoring"), &cdp.KeyMonitoringProps{
		Keys: &[]awskms.IKey{key.Key()},
	})
	awscdk.Annotations_Of(monitoring).AcknowledgeWarning(
		jsii.String("cdk-data-protection:monitoringNeedsTrail"),
		jsii.String("The organization trail logs management events in every account and Region."),
	)

	// Consumer, account 222222222222: a reader role with the policy its side needs.
	consumer := awscdk.NewStack(app, jsii.String("DataConsumer"), &awscdk.StackProps{Env: consumerEnv})
	reader := awsiam.NewRole(consumer, jsii.String("Reader"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Reads the partner exchange bucket of account 111111111111"),
	})
	cdp.NewCrossAccountConsumerPolicy(consumer, jsii.String("ExchangeAccess"), &cdp.CrossAccountConsumerPolicyProps{
		BucketArn: exchange.Bucket().BucketArn(),
		KeyArn:    key.KeyArn(),
		Access:    cdp.AccessLevel_READ,
		Roles:     &[]awsiam.IRole{reader},
	})

	app.Synth(nil)
}
