// The hello app: prints which variables it received, with lengths and prefixes, never whole values.
const names = [
  "APP_NAME",
  "PORT",
  "BASE_URL",
  "STRIPE_SECRET_KEY",
  "GITHUB_TOKEN",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "SESSION_SIGNING_KEY",
  "ADMIN_PASSWORD",
  "DB_PASSWORD",
  "DATABASE_URL",
];
const secretish = /KEY|TOKEN|SECRET|PASSWORD|DATABASE_URL/;
console.log("hello: the app received");
for (const name of names) {
  const value = process.env[name];
  if (value === undefined) {
    console.log(`  ${name.padEnd(22)} (missing)`);
  } else if (secretish.test(name)) {
    console.log(
      `  ${name.padEnd(22)} ${String(value.length).padStart(3)} chars, starts ${JSON.stringify(value.slice(0, 4))}`,
    );
  } else {
    console.log(`  ${name.padEnd(22)} ${value}`);
  }
}
