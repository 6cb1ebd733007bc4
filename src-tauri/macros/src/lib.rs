//! `#[command]`: a Tauri command of Forsat. It expands to `#[tauri::command]` and
//! `#[specta::specta]` on the same function, with two guarantees the plain attributes
//! do not give:
//!
//! - every argument but the managed state is read through `crate::commands::Arg`, so
//!   input the IPC layer cannot read (a wrong type, an impossible date, a number beyond
//!   its type, an unknown choice) is refused as a typed validation error naming the
//!   field, instead of a bare sentence;
//! - the body runs under `crate::commands::guard`, so a panic inside a command is
//!   answered as a typed internal error instead of leaving the window waiting forever.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, parse_quote, FnArg, ItemFn, Pat, Type};

/// Arguments Tauri fills in itself (not from the IPC payload).
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "Webview", "WebviewWindow", "Channel"];

fn injected(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str())),
        Type::Reference(r) => injected(&r.elem),
        _ => false,
    }
}

#[proc_macro_attribute]
pub fn command(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        return syn::Error::new(proc_macro2::Span::call_site(), "#[command] takes no arguments")
            .to_compile_error()
            .into();
    }
    let mut f = parse_macro_input!(item as ItemFn);
    if f.sig.asyncness.is_none() {
        return syn::Error::new_spanned(f.sig.fn_token, "a Forsat command is an async fn")
            .to_compile_error()
            .into();
    }
    let mut unwrap = vec![];
    for input in f.sig.inputs.iter_mut() {
        let FnArg::Typed(arg) = input else { continue };
        if injected(&arg.ty) {
            continue;
        }
        let Pat::Ident(name) = &*arg.pat else {
            return syn::Error::new_spanned(&arg.pat, "a command argument is a plain name")
                .to_compile_error()
                .into();
        };
        let ident = name.ident.clone();
        let mutability = name.mutability;
        let ty = &arg.ty;
        *arg.ty = parse_quote!(crate::commands::Arg<#ty>);
        if let Pat::Ident(name) = &mut *arg.pat {
            name.mutability = None;
        }
        unwrap.push(quote!(let #mutability #ident = #ident.0;));
    }
    let body = &f.block;
    *f.block = parse_quote!({
        #(#unwrap)*
        crate::commands::guard(async move #body).await
    });
    quote!(
        #[tauri::command]
        #[specta::specta]
        #f
    )
    .into()
}
