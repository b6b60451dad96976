//! List functions that take a lambda (`list_transform(l, x -> x + 1)`):
//! the lambda's parameters are typed from the list's element, its body is
//! bound in a scope where they shadow the FROM columns, and the call's
//! type follows from the body's.

use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, LambdaFunction,
    OneOrManyWithParens,
};
use sqlparser::tokenizer::Span as SqlSpan;

use super::expr::ExprInfo;
use super::query::Binder;
use super::scope::{Relation, Scope};
use super::BoundColumn;
use crate::output::EdgeKind;
use crate::types::Type;

/// What a lambda function returns.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// A list of the body's results: `list_transform`.
    Transform,
    /// The input list, filtered: `list_filter`.
    Filter,
    /// One value folded from the list: `list_reduce`.
    Reduce,
}

fn shape(name: &str) -> Option<Shape> {
    Some(match name {
        "list_transform" | "array_transform" | "list_apply" | "array_apply" | "apply" => {
            Shape::Transform
        }
        "list_filter" | "array_filter" | "filter" => Shape::Filter,
        "list_reduce" | "array_reduce" | "reduce" => Shape::Reduce,
        _ => return None,
    })
}

impl Binder<'_> {
    /// Binds a call of a lambda list function; `None` for other calls, or
    /// when the second argument is not a lambda.
    pub(super) fn bind_lambda_call(
        &mut self,
        name: &str,
        function: &Function,
        scope: &Scope,
        aliases_first: bool,
    ) -> Option<ExprInfo> {
        let shape = shape(name)?;
        let FunctionArguments::List(list) = &function.args else {
            return None;
        };
        let args: Vec<&Expr> = list
            .args
            .iter()
            .map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let (list_expr, Expr::Lambda(lambda)) = (args.first()?, args.get(1)?) else {
            return None;
        };
        let list_info = self.bind_expr_with(list_expr, scope, aliases_first);
        let initial = args
            .get(2)
            .map(|e| self.bind_expr_with(e, scope, aliases_first));
        let element = match list_info.ty.as_argument() {
            Type::List(element) => *element,
            Type::Null | Type::Unknown => Type::Unknown,
            other => {
                self.error(
                    "E0204",
                    self.through_paren(sqlparser::ast::Spanned::span(*list_expr)),
                    format!("`{name}` takes a list, not {other}"),
                    Some(
                        "pass a LIST value, such as `[1, 2]` or a column of type `T[]`".to_string(),
                    ),
                );
                Type::Unknown
            }
        };
        // A reduce folds into the initial value's type when there is one.
        let accumulator = match (&initial, shape) {
            (Some(initial), Shape::Reduce) => {
                Type::common_supertype(&initial.ty, &element).unwrap_or(Type::Unknown)
            }
            _ => element.clone(),
        };
        let body =
            self.bind_lambda_body(lambda, shape, (&accumulator, &element), &list_info, scope);
        let ty = match shape {
            Shape::Transform if body.ty.is_unknown() => Type::Unknown,
            Shape::Transform => Type::List(Box::new(body.ty.clone())),
            Shape::Filter => match list_info.ty.as_argument() {
                list @ Type::List(_) => list,
                _ => Type::Unknown,
            },
            Shape::Reduce => accumulator,
        };
        let mut origins = list_info.origins.clone();
        if shape == Shape::Filter {
            // The predicate picks elements; the values are the list's.
            let picked = body.origins.clone();
            self.add_indirect(&picked, crate::output::IndirectKind::Conditional);
        } else {
            origins.merge(&body.origins);
        }
        let mut info = ExprInfo::of(ty);
        info.origins = origins.raised(EdgeKind::Transformation);
        info.not_null = list_info.not_null && shape != Shape::Reduce;
        Some(info)
    }

    /// Binds the body of a lambda whose parameters have no known type.
    pub(super) fn bind_untyped_lambda(
        &mut self,
        lambda: &LambdaFunction,
        scope: &Scope,
    ) -> ExprInfo {
        let unknown = ExprInfo::of(Type::Unknown);
        self.bind_lambda_body(
            lambda,
            Shape::Reduce,
            (&Type::Unknown, &Type::Unknown),
            &unknown,
            scope,
        )
    }

    /// Binds a lambda's body with its parameters in scope: the element (or
    /// for a reduce, the accumulator and the element), then the 1-based
    /// index as BIGINT.
    fn bind_lambda_body(
        &mut self,
        lambda: &LambdaFunction,
        shape: Shape,
        (accumulator, element): (&Type, &Type),
        list: &ExprInfo,
        scope: &Scope,
    ) -> ExprInfo {
        let names: Vec<String> = match &lambda.params {
            OneOrManyWithParens::One(param) => vec![param.name.value.clone()],
            OneOrManyWithParens::Many(params) => {
                params.iter().map(|p| p.name.value.clone()).collect()
            }
        };
        let mut types = match shape {
            Shape::Reduce => vec![accumulator.clone(), element.clone()],
            _ => vec![element.clone()],
        };
        types.push(Type::BigInt);
        let columns = names
            .iter()
            .zip(types)
            .map(|(name, ty)| BoundColumn {
                name: name.as_str().into(),
                ty,
                origins: list.origins.clone(),
                not_null: false,
                definition: None,
            })
            .collect();
        let mut inner = Scope::with_parent(Some(scope));
        inner.relations.push(Relation {
            name: String::new(),
            parts: Vec::new(),
            columns,
            opaque: false,
            span: SqlSpan::empty(),
        });
        self.bind_expr(&lambda.body, &inner)
    }
}
