with sold_products as (

    select product_id from int_order_lines

),

returned_products as (

    select product_id from stg_returns

),

kept_products as (

    select product_id from sold_products

    except

    select product_id from returned_products

),

final as (

    select
        products.product_id,
        products.product_name,
        products.category,
        products.units_sold

    from kept_products

    inner join products
        on kept_products.product_id = products.product_id

)

select * from final
