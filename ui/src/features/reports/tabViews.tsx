// Each report tab's view is a chunk of its own, loaded when the tab is first chosen
// (asked for at once, while the tab's numbers load). A view that draws charts waits
// for the chart parts too, so that opening the Reports page loads only what its first
// tab draws, and a tab of tables alone (opportunities, activities) no chart code.

import { Component, lazy, useState, type ComponentType, type ReactNode } from "react";
import { ErrorState } from "../../components/States";

export const REPORT_TABS = ["dashboard", "status", "winloss", "campaigns", "durations", "competitors", "stages", "forecast", "opportunities", "activities"] as const;
export type ReportTab = (typeof REPORT_TABS)[number];

export type LazyView<P extends object> = {
  /** The view: suspends (see Suspense) until its chunk is there, then renders it directly. */
  View: ComponentType<P>;
  /** Starts loading the view and its chart parts; the same load on each call until one fails. */
  preload: () => Promise<void>;
  /** After a failed load: the next render of the view loads it again. */
  retry: () => void;
};

/**
 * A view loaded on first use (React.lazy). Once loaded it renders without suspending
 * again; a failed load shows as an error (see ViewBoundary) until `retry`.
 */
export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>, charts: boolean): LazyView<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<{ default: ComponentType<P> }> | null = null;
  const start = () => {
    pending ??= Promise.all([load(), charts ? import("./echarts").then((m) => m.loadChartParts()) : null]).then(
      ([view]) => {
        loaded = view;
        return { default: view };
      },
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  };
  let Lazy = lazy(start);
  function View(props: P) {
    // Chosen once per mount: a view shown through the lazy one keeps it (it no longer
    // suspends), so that it is never mounted twice.
    const [Shown] = useState(() => loaded ?? Lazy);
    return <Shown {...props} />;
  }
  return {
    View,
    preload: () => start().then(() => undefined),
    retry: () => {
      if (!loaded) Lazy = lazy(start);
    },
  };
}

/** Each tab's view; `charts` where it draws. */
export const TAB_VIEWS = {
  dashboard: lazyView(() => import("./DashboardView").then((m) => m.DashboardView), true),
  status: lazyView(() => import("./SalesStatusView").then((m) => m.SalesStatusView), true),
  winloss: lazyView(() => import("./WinLossView").then((m) => m.WinLossView), true),
  campaigns: lazyView(() => import("./CampaignsView").then((m) => m.CampaignsView), true),
  durations: lazyView(() => import("./DurationsView").then((m) => m.DurationsView), true),
  competitors: lazyView(() => import("./CompetitorsView").then((m) => m.CompetitorsView), true),
  stages: lazyView(() => import("./StageHistoryView").then((m) => m.StageHistoryView), true),
  forecast: lazyView(() => import("./ForecastView").then((m) => m.ForecastView), true),
  opportunities: lazyView(() => import("./OpportunitiesView").then((m) => m.OpportunitiesView), false),
  activities: lazyView(() => import("./ActivitiesView").then((m) => m.ActivitiesView), false),
} as const satisfies Record<ReportTab, unknown>;

type BoundaryProps = { title: string; onRetry: () => void; children: ReactNode };

/** A view that cannot be loaded (or fails to draw) says so in plain words, with a retry. */
export class ViewBoundary extends Component<BoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  private retry = () => {
    this.props.onRetry();
    this.setState({ error: null });
  };

  override render() {
    if (this.state.error) return <ErrorState error={this.state.error} title={this.props.title} onRetry={this.retry} />;
    return this.props.children;
  }
}
