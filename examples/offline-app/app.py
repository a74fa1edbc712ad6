# The offline app's Python twin: S3 put/get with boto3 against the daemon's moto, from the same devsecrets.env.
# Run it: devsecrets run -- python3 app.py   (boto3 reads AWS_ENDPOINT_URL, AWS_REGION and the key pair)
import sys

import boto3
from botocore.exceptions import ClientError

s3 = boto3.client("s3")
try:
    s3.create_bucket(Bucket="offline-app-py")
    s3.put_object(Bucket="offline-app-py", Key="hello.txt", Body=b"hello offline")
    body = s3.get_object(Bucket="offline-app-py", Key="hello.txt")["Body"].read().decode()
except ClientError as error:
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    print(f"s3 failed: {error.response['Error']['Code']} (HTTP {status})")
    sys.exit(1)
print(f"s3 put/get: {body}")
print("offline-app (python): every call completed")
