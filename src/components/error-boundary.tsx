import { Component, type ReactNode } from "react";
import Alert from "@cloudscape-design/components/alert";
import Button from "@cloudscape-design/components/button";

export interface ErrorBoundaryProps {
  children: ReactNode;
}

interface ErrorBoundaryState {
  error?: Error;
}

/** Contains a crash to one route: shows what failed and a retry instead of a blank app. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = {};

  static getDerivedStateFromError(error: Error): ErrorBoundaryState {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Alert
        type="error"
        header="This page could not be shown"
        action={<Button onClick={() => this.setState({ error: undefined })}>Try again</Button>}
      >
        {this.state.error.message}
      </Alert>
    );
  }
}
