import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "vazirmatn/Vazirmatn-Variable-font-face.css";
import "./styles/global.css";
import { initI18n } from "./i18n";
import { storedLanguage } from "./app/settings";
import App from "./App";

initI18n(storedLanguage());

const root = document.getElementById("root");
if (!root) throw new Error("missing #root element");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
