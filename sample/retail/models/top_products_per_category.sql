with products as (

    select * from products

    where units_sold > 0

),

ranked as (

    select
        category,
        product_id,
        product_name,
        revenue,
        units_sold,
        rank() over (partition by category order by revenue desc) as revenue_rank

    from products

    qualify revenue_rank <= 3

)

select * from ranked
