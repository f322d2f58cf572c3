import { useState } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import RadioGroup from "@cloudscape-design/components/radio-group";
import Spinner from "@cloudscape-design/components/spinner";
import { DEMO_USER_NAMES, type DemoUser } from "./demo-sign-in.ts";

export type SignInMethod = "demo" | "oidc" | "unavailable";

export interface SignInPageProps {
  method: SignInMethod | "probing";
  busy: boolean;
  error?: string;
  onDemoSignIn(username: DemoUser): void;
  onOidcSignIn(): void;
}

/** Sign-in: the demo user picker in demo mode, otherwise the organisation's identity provider in a popup. */
export function SignInPage({ method, busy, error, onDemoSignIn, onOidcSignIn }: SignInPageProps) {
  const [username, setUsername] = useState<DemoUser>("agent.alice");
  return (
    <Box padding="l">
      <Container header={<Header variant="h1">Sign in to Connect Erasure</Header>}>
        {method === "probing" && <Spinner size="large" />}
        {method === "unavailable" && (
          <Alert type="error" header="Sign-in is not configured">
            This build has no identity provider configured and the backend offers no demo sign-in.
          </Alert>
        )}
        {method === "oidc" && (
          <Form
            actions={
              <Button variant="primary" loading={busy} onClick={onOidcSignIn}>
                Sign in with your organisation
              </Button>
            }
            errorText={error}
          >
            <Box>Sign-in opens in a new window.</Box>
          </Form>
        )}
        {method === "demo" && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              onDemoSignIn(username);
            }}
          >
            <Form
              actions={
                <Button variant="primary" formAction="submit" loading={busy}>
                  Sign in
                </Button>
              }
              errorText={error}
            >
              <FormField label="Demo user" description="Demo mode: tokens come from the backend's local issuer.">
                <RadioGroup
                  ariaLabel="Demo user"
                  value={username}
                  onChange={({ detail }) => setUsername(detail.value as DemoUser)}
                  items={DEMO_USER_NAMES.map((name) => ({ value: name, label: name }))}
                />
              </FormField>
            </Form>
          </form>
        )}
      </Container>
    </Box>
  );
}
