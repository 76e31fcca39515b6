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
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
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

	// The pipeline, every step under the shared key. Orders arrive through Firehose into the bucket.
	orders := cdp.NewEncryptedDeliveryStream(producer, jsii.String("Orders"), &cdp.EncryptedDeliveryStreamProps{
		EncryptionKey:     key.Key(),
		Destination:       exchange,
		DataOutputPrefix:  jsii.String("firehose/orders/"),
		ErrorOutputPrefix: jsii.String("firehose/errors/"),
	})
	// A Glue job turns them into curated/orders/; its S3 output, logs and bookmarks are encrypted by the
	// security configuration, and the role may use the key as GrantJob allows, nothing more.
	glueEncryption := cdp.NewGlueSecurityConfiguration(producer, jsii.String("GlueEncryption"), &cdp.GlueSecurityConfigurationProps{
		EncryptionKey: key.Key(),
	})
	jobRole := awsiam.NewRole(producer, jsii.String("OrdersJobRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("glue.amazonaws.com"), nil),
		Description: jsii.String("Runs the Glue job that curates the delivered orders"),
	})
	glueEncryption.GrantJob(jobRole)
	glueLogGroups := "arn:" + *producer.Partition() + ":logs:" + *producer.Region() + ":" + *producer.Account() + ":log-group:/aws-glue/*"
	jobRole.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
		Resources: jsii.Strings(glueLogGroups),
	}))
	jobRole.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("s3:GetObject"), Resources: &[]*string{exchange.Bucket().ArnForObjects(jsii.String("scripts/curate-orders.py"))},
	}))
	jobRole.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("s3:GetObject"), Resources: &[]*string{exchange.Bucket().ArnForObjects(jsii.String("firehose/orders/*"))},
	}))
	jobRole.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("s3:PutObject"), Resources: &[]*string{exchange.Bucket().ArnForObjects(jsii.String("curated/orders/*"))},
	}))
	// The role's own policy (its DefaultPolicy, where grants go) is inline and names three wildcards, each
	// on purpose: acknowledged on that policy, by the exact finding, and written into its template Metadata.
	jobPolicy := jobRole.Node().FindChild(jsii.String("DefaultPolicy"))
	for _, pack := range []string{"NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"} {
		awscdk.Validations_Of(jobPolicy).Acknowledge(&awscdk.Acknowledgment{
			Id:     jsii.String(pack + "-IAMNoInlinePolicy"),
			Reason: jsii.String("grantJob adds to the role's own policy, as aws-cdk-lib grants do: it is attached to this one role, is created and deleted with it, and is never shared."),
		})
	}
	awscdk.Validations_Of(jobPolicy).Acknowledge(
		&awscdk.Acknowledgment{
			Id:     jsii.String("AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/firehose/orders/*]"),
			Reason: jsii.String("The job reads every object Firehose delivers under firehose/orders/, whose keys Firehose names by time; it reads nothing else of the bucket."),
		},
		&awscdk.Acknowledgment{
			Id:     jsii.String("AwsSolutions-IAM5[Resource::<ExchangeBucketACE697F0.Arn>/curated/orders/*]"),
			Reason: jsii.String("The job writes its output under curated/orders/, with object keys Spark chooses; it writes nothing else of the bucket."),
		},
	)
	// Validations.acknowledge refuses an id holding "::" twice (the ARN's <AWS::Partition>), so this one
	// is recorded under the metadata key it writes, which cdk-nag reads.
	jobPolicy.Node().AddMetadata(awscdk.Validations_ACKNOWLEDGED_RULES_METADATA_KEY(), map[string]interface{}{
		"annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:" + *producerEnv.Region + ":" + *producerEnv.Account + ":log-group:/aws-glue/*]": "Glue names its log groups itself (/aws-glue/jobs/output, /aws-glue/jobs/error, /aws-glue/jobs/logs-v2, suffixed with the security configuration): the job may write to and encrypt the Glue log groups of this account and Region only.",
	}, nil)
	cdp.TemplateAcknowledgements_Write(jobPolicy)
	awsglue.NewCfnJob(producer, jsii.String("CurateOrders"), &awsglue.CfnJobProps{
		Role:        jobRole.RoleArn(),
		Description: jsii.String("Curates the orders Firehose delivers under firehose/orders/ into curated/orders/"),
		Command: &awsglue.CfnJob_JobCommandProperty{
			Name:           jsii.String("glueetl"),
			PythonVersion:  jsii.String("3"),
			ScriptLocation: exchange.Bucket().S3UrlForObject(jsii.String("scripts/curate-orders.py")),
		},
		GlueVersion:           jsii.String("5.0"),
		WorkerType:            jsii.String("G.1X"),
		NumberOfWorkers:       jsii.Number(2),
		SecurityConfiguration: glueEncryption.SecurityConfigurationName(),
		DefaultArguments:      map[string]interface{}{"--job-bookmark-option": "job-bookmark-enable"},
	})
	// The account's Data Catalog (the tables the job and Athena read) is encrypted under the shared key, and
	// analysts query the curated orders in a workgroup whose results go to a bucket of their own under it.
	catalogEncryption := cdp.NewGlueDataCatalogEncryption(producer, jsii.String("CatalogEncryption"), &cdp.GlueDataCatalogEncryptionProps{
		EncryptionKey: key.Key(),
	})
	catalogEncryption.GrantReadWrite(jobRole)
	cdp.NewEncryptedAthenaWorkGroup(producer, jsii.String("Analytics"), &cdp.EncryptedAthenaWorkGroupProps{
		EncryptionKey: key.Key(),
		Description:   jsii.String("Queries over the curated orders; results under the shared key"),
		EngineVersion: cdp.AthenaEngineVersion_V3(),
	})

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
		Vpc:     vpc,
		Buckets: &[]awss3.IBucket{exchange.Bucket()},
		// Firehose and a Glue job without a connection reach the bucket from outside the VPC: their roles
		// are exempt from the endpoint restriction by ARN (they are workloads, not administrators).
		ExemptRoles:       &[]awsiam.IPrincipal{orders.Role(), jobRole},
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
