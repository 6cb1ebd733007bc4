import { useEffect, useImperativeHandle, useRef, type Ref } from "react";
import { createChart, type ChartClick, type ChartInstance, type ChartOption } from "./echarts";

/** What a page can ask of a drawn chart. */
export type ChartHandle = {
  /** The chart as a PNG data: URL (twice the screen size, on white), or null before it is drawn. */
  toPng: () => string | null;
};

export type EChartProps = {
  option: ChartOption;
  /** The chart's accessible name (the canvas itself says nothing to a screen reader). */
  label: string;
  height: number;
  onClick?: (click: ChartClick) => void;
  ref?: Ref<ChartHandle>;
  testId?: string;
};

/**
 * One ECharts canvas: created on mount, redrawn when `option` changes, resized with
 * its box (ResizeObserver, at most once a frame) and disposed on unmount.
 */
export function EChart({ option, label, height, onClick, ref, testId }: EChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ChartInstance | null>(null);
  const clickRef = useRef(onClick);
  useEffect(() => {
    clickRef.current = onClick;
  });

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const instance = createChart(el);
    chart.current = instance;
    instance.on("click", (params: unknown) => clickRef.current?.(params as ChartClick));
    let frame = 0;
    const resize = () => {
      window.cancelAnimationFrame(frame);
      frame = window.requestAnimationFrame(() => instance.resize());
    };
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(resize);
    if (observer) observer.observe(el);
    else window.addEventListener("resize", resize);
    return () => {
      window.cancelAnimationFrame(frame);
      observer?.disconnect();
      window.removeEventListener("resize", resize);
      chart.current = null;
      instance.dispose();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);

  useImperativeHandle(
    ref,
    () => ({
      toPng: () => chart.current?.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" }) ?? null,
    }),
    [],
  );

  return <div ref={element} className="report-chart" style={{ blockSize: height }} role="img" aria-label={label} data-testid={testId} />;
}
